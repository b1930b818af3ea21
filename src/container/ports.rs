//! Published ports: Docker's `-p` syntax (`[ip:][hostPort:]containerPort[/proto]`,
//! ranges on both sides), and how `ps`, `port` and `inspect` show them.

use serde::{Deserialize, Serialize};

/// One container port forwarded from the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortMapping {
    /// The host address to listen on; empty for all addresses.
    pub host_ip: String,
    /// The host port; 0 until a free one is picked ([`assign_free_ports`]).
    pub host_port: u16,
    pub container_port: u16,
    /// `tcp` or `udp`.
    pub protocol: String,
}

/// Errors in a `-p` value.
#[derive(Debug, thiserror::Error)]
pub enum PortError {
    #[error("invalid -p {spec:?}: {reason}")]
    Invalid { spec: String, reason: &'static str },
    #[error("no free host port for {0}: {1}")]
    NoFreePort(String, std::io::Error),
}

impl PortMapping {
    /// `0.0.0.0:8080->80/tcp`, as `ps` shows it.
    pub fn ps_text(&self) -> String {
        format!(
            "{}:{}->{}/{}",
            self.shown_ip(),
            self.host_port,
            self.container_port,
            self.protocol
        )
    }

    /// `80/tcp`, the key `port` and `inspect` use.
    pub fn container_key(&self) -> String {
        format!("{}/{}", self.container_port, self.protocol)
    }

    /// The host address as `port` shows it (`0.0.0.0` for all).
    pub fn shown_ip(&self) -> &str {
        if self.host_ip.is_empty() {
            "0.0.0.0"
        } else {
            &self.host_ip
        }
    }
}

fn port_range(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (a, b): (u16, u16) = (a.parse().ok()?, b.parse().ok()?);
    (a <= b).then_some((a, b))
}

/// Parse one `-p` value into its mappings (a range gives one per port).
pub fn parse_publish(spec: &str) -> Result<Vec<PortMapping>, PortError> {
    let bad = |reason| PortError::Invalid {
        spec: spec.to_string(),
        reason,
    };
    let (rest, protocol) = match spec.rsplit_once('/') {
        Some((r, p @ ("tcp" | "udp"))) => (r, p),
        Some(_) => return Err(bad("the protocol must be tcp or udp")),
        None => (spec, "tcp"),
    };
    // An IPv6 host address comes in brackets: [::1]:8080:80
    let (host_ip, rest) = if let Some(r) = rest.strip_prefix('[') {
        let (ip, after) = r
            .split_once(']')
            .ok_or_else(|| bad("unclosed [ in the address"))?;
        let after = after
            .strip_prefix(':')
            .ok_or_else(|| bad("expected : after the address"))?;
        (ip.to_string(), after.to_string())
    } else {
        let parts: Vec<&str> = rest.split(':').collect();
        match parts.as_slice() {
            [ip, h, c] => (ip.to_string(), format!("{h}:{c}")),
            _ => (String::new(), rest.to_string()),
        }
    };
    if !host_ip.is_empty() && host_ip.parse::<std::net::IpAddr>().is_err() {
        return Err(bad("the host address is not an IP address"));
    }
    let (host, ctr) = match rest.split_once(':') {
        Some((h, c)) => (h, c),
        None => ("", rest.as_str()),
    };
    let (c0, c1) =
        port_range(ctr).ok_or_else(|| bad("the container port must be a number or range"))?;
    if c0 == 0 {
        return Err(bad("port 0 cannot be published"));
    }
    let count = c1 - c0 + 1;
    let hosts: Vec<u16> = if host.is_empty() {
        vec![0; count as usize]
    } else {
        let (h0, h1) =
            port_range(host).ok_or_else(|| bad("the host port must be a number or range"))?;
        if h1 - h0 + 1 != count {
            return Err(bad("the host and container port ranges differ in size"));
        }
        (h0..=h1).collect()
    };
    Ok((c0..=c1)
        .zip(hosts)
        .map(|(c, h)| PortMapping {
            host_ip: host_ip.clone(),
            host_port: h,
            container_port: c,
            protocol: protocol.to_string(),
        })
        .collect())
}

/// Give every mapping without a host port a free one (the kernel's choice, as
/// Docker does).
pub fn assign_free_ports(ports: &mut [PortMapping]) -> Result<(), PortError> {
    for p in ports.iter_mut().filter(|p| p.host_port == 0) {
        let ip = if p.host_ip.is_empty() {
            "0.0.0.0"
        } else {
            p.host_ip.as_str()
        };
        let addr = (ip, 0);
        let port = if p.protocol == "udp" {
            std::net::UdpSocket::bind(addr).and_then(|s| s.local_addr())
        } else {
            std::net::TcpListener::bind(addr).and_then(|s| s.local_addr())
        }
        .map_err(|e| PortError::NoFreePort(p.container_key(), e))?
        .port();
        p.host_port = port;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(spec: &str) -> PortMapping {
        let mut v = parse_publish(spec).unwrap();
        assert_eq!(v.len(), 1, "{spec}");
        v.remove(0)
    }

    #[test]
    fn forms() {
        let p = one("8080:80");
        assert_eq!(
            (p.host_ip.as_str(), p.host_port, p.container_port),
            ("", 8080, 80)
        );
        assert_eq!(p.protocol, "tcp");
        let p = one("127.0.0.1:8080:80/udp");
        assert_eq!(
            (p.host_ip.as_str(), p.host_port, p.protocol.as_str()),
            ("127.0.0.1", 8080, "udp")
        );
        assert_eq!(one("80").host_port, 0);
        assert_eq!(one("127.0.0.1::80").host_port, 0);
        let p = one("[::1]:9000:90");
        assert_eq!((p.host_ip.as_str(), p.host_port), ("::1", 9000));
        assert_eq!(p.ps_text(), "::1:9000->90/tcp");
        assert_eq!(one("8080:80").ps_text(), "0.0.0.0:8080->80/tcp");
    }

    #[test]
    fn ranges() {
        let v = parse_publish("8000-8002:80-82").unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!((v[2].host_port, v[2].container_port), (8002, 82));
        assert!(parse_publish("8000-8001:80-82").is_err());
    }

    #[test]
    fn refused() {
        for bad in [
            "",
            "x",
            "80/sctp",
            "a:80:80",
            "1.2.3.4:x:80",
            "0",
            "8080:",
            "[::1:80:80",
            "70000",
        ] {
            assert!(parse_publish(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn free_ports_are_assigned() {
        let mut v = parse_publish("127.0.0.1::80").unwrap();
        v.extend(parse_publish("127.0.0.1::53/udp").unwrap());
        assign_free_ports(&mut v).unwrap();
        assert!(v.iter().all(|p| p.host_port != 0));
    }
}
