//! Human-readable sizes and durations as Podman prints them (go-units): `4.49 MB`,
//! `3 weeks ago`.

pub use crate::oci::time::parse_rfc3339;

/// Decimal size with three significant digits: `4.49 MB`, `873 kB`, `12 B`.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    format!("{} {}", three_digits(v), UNITS[i])
}

/// `%.3g` for values below 1000.
fn three_digits(v: f64) -> String {
    let s = if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// How long ago `secs` seconds was, go-units style, with " ago".
pub fn ago(secs: u64) -> String {
    format!("{} ago", duration(secs))
}

/// go-units `HumanDuration`.
pub fn duration(secs: u64) -> String {
    crate::oci::time::human_duration(secs)
}

/// Unix seconds as `2006-01-02 15:04:05 +0000 UTC`, Podman's CreatedAt format.
pub fn timestamp(secs: i64) -> String {
    crate::oci::time::utc_text(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(4_490_000), "4.49 MB");
        assert_eq!(size(4_500_000), "4.5 MB");
        assert_eq!(size(12_345_678_901), "12.3 GB");
    }

    #[test]
    fn durations() {
        assert_eq!(ago(30), "30 seconds ago");
        assert_eq!(duration(90), "About a minute");
        assert_eq!(duration(3 * 86400), "3 days");
        assert_eq!(duration(21 * 86400), "3 weeks");
        assert_eq!(duration(800 * 86400), "2 years");
    }

    #[test]
    fn times() {
        assert_eq!(
            crate::oci::time::parse_rfc3339("1970-01-01T00:00:00Z"),
            Some(0)
        );
        assert_eq!(
            crate::oci::time::parse_rfc3339("2026-01-01T00:00:00Z"),
            Some(1_767_225_600)
        );
        assert_eq!(
            parse_rfc3339("2026-01-01T01:00:00.5+01:00"),
            Some(1_767_225_600)
        );
        assert_eq!(crate::oci::time::parse_rfc3339("yesterday"), None);
        assert_eq!(timestamp(1_767_225_600), "2026-01-01 00:00:00 +0000 UTC");
    }
}
