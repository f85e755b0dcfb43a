//! Phone numbers as people type them, parsed into one form the phone can dial.
//!
//! A contact's number must work with one tap in a crisis, so it is checked when it is saved
//! rather than when it is dialled. Accepted:
//!
//! - Norwegian numbers of 8 digits starting with 2–9, written any usual way ("912 34 567",
//!   "22.40.00.40", "22-40-00-40"), with or without `+47` / `0047` in front, or `47` in
//!   front of all ten digits (as some contact exports write it).
//! - Other international numbers in E.164: `+` (or `00`) and then 8 to 15 digits in total,
//!   the country code not starting with 0.
//! - Norwegian short numbers: 3 to 6 digits with no prefix ("113", "116 117", "1881",
//!   "02800"). They only work when dialled inside Norway, so they are kept as dialled (digits
//!   only, no `+47`) and [`PhoneNumber::is_short`] is true; the UI should not offer to text
//!   them, since most service numbers cannot receive SMS.
//!
//! Stored normalised: `+4791234567` or, for short numbers, `116117`. Spaces, dots, dashes and
//! parentheses are separators; any other character is refused rather than guessed at.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A number that can be dialled: E.164 (`+4791234567`) or a Norwegian short number (`113`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

/// Why a phone number was refused. The UI translates by variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneError {
    /// Nothing but separators.
    Empty,
    /// Something other than digits, separators, and one leading `+`.
    InvalidCharacters,
    /// Not a length any accepted kind of number has; `digits` as counted, prefix included.
    WrongLength { digits: usize },
    /// An international number whose country code starts with 0.
    InvalidCountryCode,
    /// 8 Norwegian digits starting with 0 or 1, which no Norwegian number does.
    NotANorwegianNumber,
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneError::Empty => write!(f, "the phone number is empty"),
            PhoneError::InvalidCharacters => {
                write!(
                    f,
                    "a phone number may only hold digits, spaces, dots, dashes and a leading +"
                )
            }
            PhoneError::WrongLength { digits } => {
                write!(
                    f,
                    "a phone number with {digits} digits is not one that can be dialled"
                )
            }
            PhoneError::InvalidCountryCode => write!(f, "the country code cannot start with 0"),
            PhoneError::NotANorwegianNumber => {
                write!(f, "Norwegian 8-digit numbers start with a digit from 2 to 9")
            }
        }
    }
}

impl std::error::Error for PhoneError {}

const E164_MIN_DIGITS: usize = 8;
const E164_MAX_DIGITS: usize = 15;

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
        let (plus, digits) = digits_of(input)?;
        let international = if plus {
            Some(digits.as_str())
        } else {
            digits.strip_prefix("00")
        };
        if let Some(rest) = international {
            return international_number(rest);
        }
        match digits.len() {
            8 => norwegian(&digits),
            10 if digits.starts_with("47") => norwegian(&digits[2..]),
            3..=6 => Ok(PhoneNumber(digits)),
            n => Err(PhoneError::WrongLength { digits: n }),
        }
    }

    /// The stored form: E.164, or the digits of a short number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A Norwegian short number, dialable only inside Norway.
    pub fn is_short(&self) -> bool {
        !self.0.starts_with('+')
    }

    /// The link target that starts a call.
    pub fn tel_href(&self) -> String {
        format!("tel:{}", self.0)
    }

    /// The link target that starts a text message (see [`PhoneNumber::is_short`]).
    pub fn sms_href(&self) -> String {
        format!("sms:{}", self.0)
    }

    /// How Norwegians write it: "912 34 567" for mobile and 8xx numbers, "22 40 00 40" for
    /// other Norwegian numbers, "116 117" for six-digit short numbers; otherwise as stored.
    pub fn display(&self) -> String {
        let n = &self.0;
        if let Some(national) = n.strip_prefix("+47").filter(|d| d.len() == 8) {
            let d = national.as_bytes();
            return if matches!(d[0], b'4' | b'8' | b'9') {
                format!("{} {} {}", &national[..3], &national[3..5], &national[5..])
            } else {
                format!(
                    "{} {} {} {}",
                    &national[..2],
                    &national[2..4],
                    &national[4..6],
                    &national[6..]
                )
            };
        }
        if self.is_short() && n.len() == 6 {
            return format!("{} {}", &n[..3], &n[3..]);
        }
        n.clone()
    }
}

/// Splits input into "had a leading +" and its digits, refusing anything unexpected.
fn digits_of(input: &str) -> Result<(bool, String), PhoneError> {
    let mut plus = false;
    let mut digits = String::new();
    for c in input.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if !plus && digits.is_empty() => plus = true,
            ' ' | '\u{a0}' | '\t' | '.' | '-' | '(' | ')' => {}
            _ => return Err(PhoneError::InvalidCharacters),
        }
    }
    if digits.is_empty() {
        return Err(if plus {
            PhoneError::WrongLength { digits: 0 }
        } else {
            PhoneError::Empty
        });
    }
    Ok((plus, digits))
}

fn international_number(digits: &str) -> Result<PhoneNumber, PhoneError> {
    if digits.starts_with('0') {
        return Err(PhoneError::InvalidCountryCode);
    }
    if let Some(national) = digits.strip_prefix("47") {
        // Norway's numbers are all 8 digits; other lengths after +47 are typing mistakes.
        return match national.len() {
            8 => norwegian(national),
            n => Err(PhoneError::WrongLength { digits: n + 2 }),
        };
    }
    match digits.len() {
        E164_MIN_DIGITS..=E164_MAX_DIGITS => Ok(PhoneNumber(format!("+{digits}"))),
        n => Err(PhoneError::WrongLength { digits: n }),
    }
}

fn norwegian(national: &str) -> Result<PhoneNumber, PhoneError> {
    match national.as_bytes().first() {
        Some(b'2'..=b'9') => Ok(PhoneNumber(format!("+47{national}"))),
        _ => Err(PhoneError::NotANorwegianNumber),
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(number: PhoneNumber) -> String {
        number.0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn stored(input: &str) -> String {
        PhoneNumber::parse(input).unwrap().as_str().to_owned()
    }

    #[test]
    fn norwegian_numbers_in_every_usual_spelling() {
        for input in [
            "912 34 567",
            "91234567",
            "+47 912 34 567",
            "0047 91234567",
            "4791234567",
            "(+47) 912-34-567",
        ] {
            assert_eq!(stored(input), "+4791234567", "{input}");
        }
        assert_eq!(stored("22.40.00.40"), "+4722400040");
        assert_eq!(stored("22 40 00 40"), "+4722400040");
    }

    #[test]
    fn short_service_numbers_are_kept_as_dialled() {
        for (input, digits) in [
            ("113", "113"),
            ("116 117", "116117"),
            ("116123", "116123"),
            ("02800", "02800"),
        ] {
            let number = PhoneNumber::parse(input).unwrap();
            assert_eq!(number.as_str(), digits);
            assert!(number.is_short());
            assert_eq!(number.tel_href(), format!("tel:{digits}"));
        }
    }

    #[test]
    fn international_numbers_become_e164() {
        assert_eq!(stored("+46 70 123 45 67"), "+46701234567");
        assert_eq!(stored("0044 20 7946 0958"), "+442079460958");
        assert!(!PhoneNumber::parse("+46701234567").unwrap().is_short());
    }

    #[test]
    fn links_and_display() {
        let mobile = PhoneNumber::parse("91234567").unwrap();
        assert_eq!(mobile.tel_href(), "tel:+4791234567");
        assert_eq!(mobile.sms_href(), "sms:+4791234567");
        assert_eq!(mobile.display(), "912 34 567");
        assert_eq!(PhoneNumber::parse("22400040").unwrap().display(), "22 40 00 40");
        assert_eq!(PhoneNumber::parse("80012345").unwrap().display(), "800 12 345");
        assert_eq!(PhoneNumber::parse("116117").unwrap().display(), "116 117");
        assert_eq!(PhoneNumber::parse("113").unwrap().display(), "113");
        assert_eq!(
            PhoneNumber::parse("+46701234567").unwrap().display(),
            "+46701234567"
        );
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Empty));
        assert_eq!(PhoneNumber::parse(" - "), Err(PhoneError::Empty));
        assert_eq!(
            PhoneNumber::parse("912 34 56a"),
            Err(PhoneError::InvalidCharacters)
        );
        assert_eq!(
            PhoneNumber::parse("91+234567"),
            Err(PhoneError::InvalidCharacters)
        );
        assert_eq!(
            PhoneNumber::parse("++4791234567"),
            Err(PhoneError::InvalidCharacters)
        );
        assert_eq!(PhoneNumber::parse("٩١٢٣٤٥٦٧"), Err(PhoneError::InvalidCharacters));
        assert_eq!(
            PhoneNumber::parse("12"),
            Err(PhoneError::WrongLength { digits: 2 })
        );
        assert_eq!(
            PhoneNumber::parse("9123456"),
            Err(PhoneError::WrongLength { digits: 7 })
        );
        assert_eq!(
            PhoneNumber::parse("+47 912 34 56"),
            Err(PhoneError::WrongLength { digits: 9 })
        );
        assert_eq!(
            PhoneNumber::parse("+1234567"),
            Err(PhoneError::WrongLength { digits: 7 })
        );
        assert_eq!(
            PhoneNumber::parse("+1234567890123456"),
            Err(PhoneError::WrongLength { digits: 16 })
        );
        assert_eq!(
            PhoneNumber::parse("+0123456789"),
            Err(PhoneError::InvalidCountryCode)
        );
        assert_eq!(
            PhoneNumber::parse("12345678"),
            Err(PhoneError::NotANorwegianNumber)
        );
        assert_eq!(
            PhoneNumber::parse("+4712345678"),
            Err(PhoneError::NotANorwegianNumber)
        );
    }

    #[test]
    fn serde_stores_the_normalised_string() {
        let number = PhoneNumber::parse("912 34 567").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"+4791234567\"");
        assert_eq!(
            serde_json::from_str::<PhoneNumber>("\"912 34 567\"").unwrap(),
            number
        );
        assert!(serde_json::from_str::<PhoneNumber>("\"call me\"").is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_and_normal_forms_reparse_to_themselves(
            input in "\\PC{0,70}|[+0-9 .()-]{0,24}|\\+?(00)?47?[0-9 ]{0,16}"
        ) {
            if let Ok(number) = PhoneNumber::parse(&input) {
                prop_assert_eq!(PhoneNumber::parse(number.as_str()), Ok(number.clone()));
                prop_assert_eq!(PhoneNumber::parse(&number.display()), Ok(number.clone()));
                let digits = number.as_str().trim_start_matches('+');
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
