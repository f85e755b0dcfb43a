//! The client's address, for the throttles. Directly connected clients are who they are. A
//! request from a **trusted proxy** (`TILLIT_TRUSTED_PROXIES`: addresses and CIDR ranges)
//! names its client in `X-Forwarded-For`; the server reads that list from the right and
//! takes the first address that is not itself a trusted proxy. From anyone else the header
//! is ignored: a client cannot choose the address it is counted under.
//!
//! Without this, behind a reverse proxy every user shares the proxy's address, and twenty
//! wrong logins anywhere lock everyone out.

use super::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// One address or range, like `10.0.0.0/8`, `192.0.2.7` or `fd00::/8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(input: &str) -> Option<Cidr> {
        let input = input.trim();
        let (address, prefix) = match input.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (input, None),
        };
        let network: IpAddr = address.parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Cidr { network, prefix })
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// The reverse proxies whose `X-Forwarded-For` the server believes. Empty by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// A comma- or space-separated list; `Err` names the first entry that is not one.
    pub fn parse(input: &str) -> Result<TrustedProxies, String> {
        input
            .split([',', ' '])
            .filter(|s| !s.trim().is_empty())
            .map(|s| Cidr::parse(s).ok_or_else(|| s.trim().to_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|cidr| cidr.contains(address))
    }

    /// The client behind `peer`: `peer` itself unless it is trusted and forwarded for
    /// someone.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(address) = parse_hop(hop) else {
                // Garbage in the chain: believe nothing left of it.
                break;
            };
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        client
    }
}

/// `192.0.2.1`, `2001:db8::1`, and the forms with a port some proxies write.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The client's address (see the module doc); every request has one.
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Ok(ClientAddr(
            state.limits.trusted_proxies.client(peer, &parts.headers),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn ranges_parse_and_match() {
        let net = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")));
        assert!(Cidr::parse("fd00::/8").unwrap().contains(ip("fdab::1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("192.0.2.1")));
        assert!(Cidr::parse("::1").unwrap().contains(ip("::1")));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("proxy.local"), None);
        assert_eq!(
            TrustedProxies::parse("127.0.0.1, 10.0.0.0/8 nonsense"),
            Err("nonsense".to_owned())
        );
    }

    #[test]
    fn only_trusted_peers_are_believed_and_the_rightmost_untrusted_hop_wins() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").unwrap();
        // An untrusted peer's header is ignored.
        assert_eq!(
            trusted.client(ip("192.0.2.9"), &forwarded("198.51.100.1")),
            ip("192.0.2.9")
        );
        // A client that sends its own header behind the proxy cannot pick its address.
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &forwarded("6.6.6.6, 198.51.100.1")),
            ip("198.51.100.1")
        );
        // Two trusted proxies in a row.
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &forwarded("198.51.100.1, 10.0.0.3")),
            ip("198.51.100.1")
        );
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &forwarded("[2001:db8::1]:443")),
            ip("2001:db8::1")
        );
        assert_eq!(trusted.client(ip("10.0.0.2"), &forwarded("junk")), ip("10.0.0.2"));
        assert_eq!(trusted.client(ip("10.0.0.2"), &HeaderMap::new()), ip("10.0.0.2"));
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.2"), &forwarded("198.51.100.1")),
            ip("10.0.0.2")
        );
    }
}
