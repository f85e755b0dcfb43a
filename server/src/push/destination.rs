//! Where a push may go: a push service on the public internet, never this server's own
//! network.
//!
//! A subscription's endpoint comes from a browser, so from anyone with an account: without
//! this check the server would post to whatever address it is given — the loopback
//! (another process on this host), the private network behind it (a database, a cloud
//! provider's metadata service at 169.254.169.254) — a server-side request forgery.
//!
//! - [`is_public`] says which addresses are refused: loopback, unspecified, private
//!   (RFC 1918), link-local, shared (CGNAT, RFC 6598), multicast and broadcast, the
//!   documentation and benchmarking ranges, unique-local and link-local IPv6, and IPv6
//!   forms that carry an IPv4 address (mapped, NAT64, 6to4), judged by that address.
//! - **At subscription** ([`check_endpoint`]): `https://` only; an address in the URL must
//!   be public, and so must every address a name resolves to. A name that does not resolve
//!   now is kept (a passing DNS failure must not lose a phone's subscription): sending
//!   checks again.
//! - **At sending** ([`PublicOnly`], the push client's resolver): names are resolved again
//!   and only public addresses are handed to the connection, so a name that resolved to a
//!   public address at subscription and to `127.0.0.1` later (DNS rebinding) reaches
//!   nothing. Addresses written in the URL skip any resolver, so [`check_endpoint`] runs
//!   again before each send too.
//! - **The tests' stand-in push service** listens on the loopback over `http://`: the
//!   [`Destinations::allow_loopback`] setting (`Limits::push_allow_loopback`, which only
//!   code sets, never the environment) lets pushes reach the loopback and nothing else.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// Which destinations this server may push to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Destinations {
    /// The loopback too, over `http://` or `https://` (the tests' push service).
    pub allow_loopback: bool,
}

impl Destinations {
    /// May a push connect to `ip`?
    pub fn allows(self, ip: IpAddr) -> bool {
        is_public(ip) || (self.allow_loopback && ip.to_canonical().is_loopback())
    }
}

/// Why an endpoint is refused (said to the browser's user as it is).
pub const NOT_HTTPS: &str = "A push endpoint is an https:// URL.";
pub const NOT_PUBLIC: &str =
    "A push endpoint must be a push service on the internet, not a local or private address.";

/// Is `ip` an address on the public internet?
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT), RFC 6598
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240; // reserved
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let refused = ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local, fc00::/7
        || (first & 0xffc0) == 0xfe80 // link-local, fe80::/10
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated), fec0::/10
        || (first == 0x2001 && ip.segments()[1] == 0x0db8); // documentation
    !refused
}

/// The IPv4 address an IPv6 address stands for, where it stands for one: IPv4-mapped
/// (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4
/// (`2002:AABB:CCDD::/48`). A NAT64 gateway would forward `64:ff9b::a00:1` to 10.0.0.1.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    let compatible = s[..6] == [0; 6] && !ip.is_loopback() && !ip.is_unspecified();
    let nat64 = s[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    if let Some(v4) = ip.to_ipv4_mapped() {
        Some(v4)
    } else if compatible || nat64 {
        Some(tail)
    } else if s[0] == 0x2002 {
        Some(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ))
    } else {
        None
    }
}

/// Checks an endpoint before it is kept and before each send: the scheme, and every address
/// its host is or resolves to. `Err` is the reason, for the user.
pub async fn check_endpoint(uri: &http::Uri, allowed: Destinations) -> Result<(), &'static str> {
    let host = uri.host().ok_or(NOT_HTTPS)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(443);
    match uri.scheme_str() {
        Some("https") => {}
        // http only to the tests' push service, which then must be on the loopback.
        Some("http") if allowed.allow_loopback => {}
        _ => return Err(NOT_HTTPS),
    }
    let addresses: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => match tokio::net::lookup_host((host, port)).await {
            Ok(found) => found.map(|a| a.ip()).collect(),
            // Not resolvable now: sending resolves again through `PublicOnly`.
            Err(_) => Vec::new(),
        },
    };
    let on_loopback = !addresses.is_empty() && addresses.iter().all(|ip| ip.to_canonical().is_loopback());
    if uri.scheme_str() == Some("http") && !on_loopback {
        return Err(NOT_HTTPS);
    }
    if addresses.iter().all(|ip| allowed.allows(*ip)) {
        Ok(())
    } else {
        Err(NOT_PUBLIC)
    }
}

/// The push client's resolver: the system's, with every address that [`Destinations`]
/// does not allow taken out (none left: the request fails, nothing is connected to).
#[derive(Debug)]
pub struct PublicOnly(pub Destinations);

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allowed = self.0;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let kept: Vec<SocketAddr> = found.filter(|a| allowed.allows(a.ip())).collect();
            if kept.is_empty() {
                return Err(NOT_PUBLIC.into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

impl PublicOnly {
    pub fn shared(allowed: Destinations) -> Arc<PublicOnly> {
        Arc::new(PublicOnly(allowed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().unwrap())
    }

    #[test]
    fn local_and_private_addresses_are_not_public() {
        for refused in [
            "127.0.0.1",
            "127.8.9.10",
            "0.0.0.0",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "224.0.0.1",
            "255.255.255.255",
            "192.0.2.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::10.1.2.3",
            "64:ff9b::a00:1",
            "2002:a00:1::1",
            "2001:db8::1",
        ] {
            assert!(!public(refused), "{refused} counted as public");
        }
    }

    #[test]
    fn internet_addresses_are_public() {
        for allowed in [
            "8.8.8.8",
            "142.250.74.110",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "2a00:1450:400f:80d::200a",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(public(allowed), "{allowed} refused");
        }
    }

    #[test]
    fn the_test_allowance_opens_the_loopback_only() {
        let tests = Destinations { allow_loopback: true };
        assert!(tests.allows("127.0.0.1".parse().unwrap()));
        assert!(tests.allows("::1".parse().unwrap()));
        assert!(!tests.allows("10.0.0.1".parse().unwrap()));
        assert!(!Destinations::default().allows("127.0.0.1".parse().unwrap()));
    }

    #[tokio::test]
    async fn endpoints_are_checked_by_scheme_address_and_name() {
        let check = |url: &str, allowed| {
            let uri: http::Uri = url.parse().unwrap();
            async move { check_endpoint(&uri, allowed).await }
        };
        let production = Destinations::default();
        let tests = Destinations { allow_loopback: true };
        assert_eq!(check("http://8.8.8.8/x", production).await, Err(NOT_HTTPS));
        assert_eq!(check("https://10.0.0.1/x", production).await, Err(NOT_PUBLIC));
        assert_eq!(check("https://[fd00::1]/x", production).await, Err(NOT_PUBLIC));
        // `localhost` resolves (from /etc/hosts) to the loopback.
        assert_eq!(check("https://localhost:9/x", production).await, Err(NOT_PUBLIC));
        assert_eq!(check("https://8.8.8.8/x", production).await, Ok(()));
        assert_eq!(check("http://127.0.0.1:9/x", tests).await, Ok(()));
        assert_eq!(check("http://localhost:9/x", tests).await, Ok(()));
        // The allowance is for the loopback, not for plain http anywhere.
        assert_eq!(check("http://8.8.8.8/x", tests).await, Err(NOT_HTTPS));
        assert_eq!(check("https://10.0.0.1/x", tests).await, Err(NOT_PUBLIC));
    }
}
