//! The invitation link and the name it carries: `/deling?kode=ABCDE-FGHIJ#fra=Kari`.
//!
//! The code goes to the server (it is what accepts the share). The sender's name rides in
//! the fragment, which browsers never send to a server: the recipient's phone can say
//! "«Kari» vil dele noe med deg" before they have an account, and no lookup by code has to
//! exist (one would tell anyone holding a code who uses Tillit).
//!
//! The name is the sender's own claim, written into a link anyone could edit, so the page
//! says where it comes from, and the accepted share then names the real account.

/// The longest name shown from a link, in characters; longer is cut, not refused.
pub const MAX_NAME_CHARS: usize = 40;

/// The link that fills in `code` when opened, on the server at `origin`, with the sender's
/// `name` in the fragment (left out when empty).
pub fn link(origin: &str, code: &str, name: &str) -> String {
    let name = clean(name);
    if name.is_empty() {
        format!("{origin}/deling?kode={code}")
    } else {
        format!("{origin}/deling?kode={code}#fra={}", encode(&name))
    }
}

/// The sender's name from a link's fragment (`location.hash`, with or without its `#`):
/// decoded, stripped of control characters, at most [`MAX_NAME_CHARS`]. `None` when there
/// is none, or it is not valid percent-encoded UTF-8 (the page then says "Noen").
pub fn name_from_fragment(fragment: &str) -> Option<String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let raw = fragment.split('&').find_map(|part| part.strip_prefix("fra="))?;
    let name = clean(&decode(raw)?);
    (!name.is_empty()).then_some(name)
}

/// One line of at most [`MAX_NAME_CHARS`], without control characters (a newline or a
/// bidirectional override would let a link draw something other than a name).
fn clean(name: &str) -> String {
    name.chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space, as a form-encoded link would have it);
/// `None` for a broken escape or bytes that are not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_goes_there_and_back() {
        let made = link("https://tillit.example", "ABCDE-FGHIJ", "Kari Ødegård");
        assert_eq!(
            made,
            "https://tillit.example/deling?kode=ABCDE-FGHIJ#fra=Kari%20%C3%98deg%C3%A5rd"
        );
        let fragment = made.split_once('#').unwrap().1;
        assert_eq!(name_from_fragment(fragment).as_deref(), Some("Kari Ødegård"));
        assert_eq!(
            name_from_fragment(&format!("#{fragment}")).as_deref(),
            Some("Kari Ødegård")
        );
    }

    #[test]
    fn no_name_no_fragment() {
        assert_eq!(link("", "ABCDE-FGHIJ", "  "), "/deling?kode=ABCDE-FGHIJ");
        assert_eq!(name_from_fragment(""), None);
        assert_eq!(name_from_fragment("#"), None);
        assert_eq!(name_from_fragment("#fra="), None);
        assert_eq!(name_from_fragment("#annet=x"), None);
    }

    #[test]
    fn broken_or_hostile_names() {
        // A broken escape or bytes that are not UTF-8: no name rather than a wrong one.
        assert_eq!(name_from_fragment("fra=Kari%ZZ"), None);
        assert_eq!(name_from_fragment("fra=Kari%C3"), None);
        assert_eq!(name_from_fragment("fra=%FF"), None);
        // Markup stays text (the view escapes it); control and bidi characters are dropped.
        assert_eq!(
            name_from_fragment("fra=%3Cb%3EKari%3C%2Fb%3E").as_deref(),
            Some("<b>Kari</b>")
        );
        assert_eq!(
            name_from_fragment("fra=Kari%0A%0ABanken%E2%80%AEx").as_deref(),
            Some("Kari Bankenx")
        );
        assert_eq!(name_from_fragment("fra=%20%20+").as_deref(), None);
        // Too long: cut to the limit.
        let long = "a".repeat(500);
        assert_eq!(
            name_from_fragment(&format!("fra={long}")).map(|n| n.chars().count()),
            Some(MAX_NAME_CHARS)
        );
    }

    #[test]
    fn other_parts_of_the_fragment_are_ignored() {
        assert_eq!(name_from_fragment("x=1&fra=Ola&y=2").as_deref(), Some("Ola"));
    }
}
