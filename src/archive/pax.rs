//! PAX extended header records (POSIX.1-2001 `x` headers).
//!
//! Invariant: records are split by their decimal length prefix, never by
//! newlines, so binary values (xattrs such as `security.capability`) may
//! contain any byte. An empty value unsets the key, as POSIX specifies.

use super::reader::Timestamp;

/// PAX overrides collected from `x` headers for the next entry.
#[derive(Default)]
pub struct Pax {
    pub path: Option<Vec<u8>>,
    pub linkpath: Option<Vec<u8>>,
    pub size: Option<u64>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub mtime: Option<Timestamp>,
    pub sparse: bool,
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Parses PAX records `"<len> <key>=<value>\n"` by their length prefix.
pub fn parse_pax(mut data: &[u8], pax: &mut Pax) -> Result<(), String> {
    while !data.is_empty() {
        if data.iter().all(|b| *b == 0) {
            break; // some writers NUL-pad the record block
        }
        let space = data
            .iter()
            .position(|b| *b == b' ')
            .ok_or("PAX record without a length")?;
        let len: usize = std::str::from_utf8(&data[..space])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or("PAX record with a bad length")?;
        if len <= space + 1 || len > data.len() || data[len - 1] != b'\n' {
            return Err("PAX record with a bad length".into());
        }
        let record = &data[space + 1..len - 1];
        let eq = record
            .iter()
            .position(|b| *b == b'=')
            .ok_or("PAX record without '='")?;
        apply_pax(pax, &record[..eq], &record[eq + 1..])?;
        data = &data[len..];
    }
    Ok(())
}

fn apply_pax(pax: &mut Pax, key: &[u8], value: &[u8]) -> Result<(), String> {
    let num = |v: &[u8]| -> Result<Option<u64>, String> {
        if v.is_empty() {
            return Ok(None);
        }
        let s = std::str::from_utf8(v).map_err(|_| "PAX number is not ASCII")?;
        s.parse()
            .map(Some)
            .map_err(|_| format!("bad PAX number {s:?}"))
    };
    let bytes = |v: &[u8]| (!v.is_empty()).then(|| v.to_vec());
    match key {
        b"path" => pax.path = bytes(value),
        b"linkpath" => pax.linkpath = bytes(value),
        b"size" => pax.size = num(value)?,
        b"uid" => pax.uid = num(value)?,
        b"gid" => pax.gid = num(value)?,
        b"mtime" => pax.mtime = parse_time(value)?,
        _ if key.starts_with(b"GNU.sparse.") => pax.sparse = true,
        _ => {
            if let Some(name) = key.strip_prefix(b"SCHILY.xattr.") {
                pax.xattrs.push((name.to_vec(), value.to_vec()));
            }
        }
    }
    Ok(())
}

/// Parses a PAX time `[-]SECONDS[.FRACTION]`.
fn parse_time(v: &[u8]) -> Result<Option<Timestamp>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    let s = std::str::from_utf8(v).map_err(|_| "PAX mtime is not ASCII")?;
    let bad = || format!("bad PAX mtime {s:?}");
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let mut sec: i64 = whole.parse().map_err(|_| bad())?;
    let mut nsec: u32 = 0;
    for (i, d) in frac.bytes().take(9).enumerate() {
        nsec += u32::from(d - b'0') * 10u32.pow(8 - i as u32);
    }
    if neg {
        sec = -sec;
        if nsec > 0 {
            sec -= 1;
            nsec = 1_000_000_000 - nsec;
        }
    }
    Ok(Some(Timestamp { sec, nsec }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_records_with_binary_values() {
        let mut data = Vec::new();
        for (k, v) in [
            (
                &b"SCHILY.xattr.security.capability"[..],
                &b"\x01\n\0\x02"[..],
            ),
            (b"path", b"a/b"),
            (b"size", b"7"),
            (b"mtime", b"1700000000.25"),
        ] {
            let body = [&b" "[..], k, b"=", v, b"\n"].concat();
            let mut len = body.len() + 1;
            while len.to_string().len() + body.len() != len {
                len += 1;
            }
            data.extend_from_slice(format!("{len}").as_bytes());
            data.extend_from_slice(&body);
        }
        let mut pax = Pax::default();
        parse_pax(&data, &mut pax).unwrap();
        assert_eq!(pax.path.as_deref(), Some(&b"a/b"[..]));
        assert_eq!(pax.size, Some(7));
        assert_eq!(
            pax.mtime,
            Some(Timestamp {
                sec: 1_700_000_000,
                nsec: 250_000_000
            })
        );
        assert_eq!(
            pax.xattrs,
            vec![(b"security.capability".to_vec(), b"\x01\n\0\x02".to_vec())]
        );
    }

    #[test]
    fn pax_time_negative_and_bad() {
        assert_eq!(
            parse_time(b"-1.5").unwrap(),
            Some(Timestamp {
                sec: -2,
                nsec: 500_000_000
            })
        );
        assert_eq!(
            parse_time(b"12").unwrap(),
            Some(Timestamp { sec: 12, nsec: 0 })
        );
        assert!(parse_time(b"1.x").is_err());
        assert!(parse_time(b".5").is_err());
    }

    #[test]
    fn bad_pax_length_is_corrupt() {
        assert!(parse_pax(b"99 path=x\n", &mut Pax::default()).is_err());
        assert!(parse_pax(b"path=x\n", &mut Pax::default()).is_err());
    }
}
