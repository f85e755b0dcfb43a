//! What the user types into the plan, parsed once into types that cannot be invalid.
//!
//! Each newtype here is made only by `parse` (or by deserialising, which calls `parse`), so
//! past the edge of the app a `SectionName` is always trimmed, non-empty and short enough.
//! Lengths count Unicode scalar values (`char`s), which is what a person would call letters
//! for Norwegian text; a limit never splits a character.
//!
//! Control characters are **removed, not refused**. They are invisible, usually arrive by
//! pasting from another app (a stray `\r`, a NUL, an escape sequence), and a person writing in
//! a bad moment must never be told their text is wrong for a reason they cannot see. `\r\n`
//! and a lone `\r` become `\n`; item text keeps `\n` and `\t`; one-line fields (names,
//! relations) turn line breaks and tabs into spaces. Everything else in Unicode's control
//! category (C0, DEL, C1) is dropped. Format characters (zero-width joiners, emoji
//! modifiers, bidi marks) are kept: they are part of real writing.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The most items one plan section may hold: a plan is meant to be short and concrete.
pub const MAX_ITEMS_PER_SECTION: usize = 200;
pub const ITEM_TEXT_MAX_CHARS: usize = 1_000;
pub const SECTION_NAME_MAX_CHARS: usize = 80;
pub const AREA_NAME_MAX_CHARS: usize = 80;
pub const CONTACT_NAME_MAX_CHARS: usize = 100;
pub const RELATION_MAX_CHARS: usize = 100;
pub const CHECKIN_TEXT_MAX_CHARS: usize = 280;
pub const PERSON_LABEL_MAX_CHARS: usize = 60;

/// Why a text was refused. The UI translates by variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextError {
    /// Nothing left after trimming (and removing control characters).
    Empty,
    /// Longer than allowed; both counts in characters.
    TooLong { max: usize, actual: usize },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Empty => write!(f, "the text is empty"),
            TextError::TooLong { max, actual } => {
                write!(f, "the text has {actual} characters, at most {max} are allowed")
            }
        }
    }
}

impl std::error::Error for TextError {}

/// Whether a field keeps line breaks.
#[derive(Clone, Copy)]
enum Lines {
    Many,
    One,
}

/// Removes control characters (see the module doc), then trims.
fn clean(input: &str, lines: Lines) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                '\n'
            }
            other => other,
        };
        match (c, lines) {
            ('\n' | '\t', Lines::Many) => out.push(c),
            ('\n' | '\t', Lines::One) => out.push(' '),
            (c, _) if c.is_control() => {}
            (c, _) => out.push(c),
        }
    }
    out.trim().to_owned()
}

fn check(text: String, max: usize, may_be_empty: bool) -> Result<String, TextError> {
    if text.is_empty() && !may_be_empty {
        return Err(TextError::Empty);
    }
    let actual = text.chars().count();
    if actual > max {
        return Err(TextError::TooLong { max, actual });
    }
    Ok(text)
}

/// Declares one text newtype: its parse rule, accessors and string serde.
macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $max:expr, $lines:expr, may_be_empty: $empty:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(input: &str) -> Result<$name, TextError> {
                check(clean(input, $lines), $max, $empty).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = TextError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

text_type!(
    /// One item of a plan section, in the user's own words: 1 to 1 000 characters, may span
    /// lines.
    ItemText, ITEM_TEXT_MAX_CHARS, Lines::Many, may_be_empty: false
);
text_type!(
    /// A section name the user chose: one line, 1 to 80 characters.
    SectionName, SECTION_NAME_MAX_CHARS, Lines::One, may_be_empty: false
);
text_type!(
    /// The name of a life area in the conversation wheel: one line, 1 to 80 characters.
    AreaName, AREA_NAME_MAX_CHARS, Lines::One, may_be_empty: false
);
text_type!(
    /// A contact's name: one line, 1 to 100 characters.
    ContactName, CONTACT_NAME_MAX_CHARS, Lines::One, may_be_empty: false
);
text_type!(
    /// How a contact relates to the user ("mamma", "fastlege"): one line, at most 100
    /// characters, may be empty.
    // Deriving is right for this one type only: the empty relation is valid.
    #[derive(Default)]
    Relation, RELATION_MAX_CHARS, Lines::One, may_be_empty: true
);

text_type!(
    /// The text of a check-in message: 1 to 280 characters, may span lines.
    CheckinText, CHECKIN_TEXT_MAX_CHARS, Lines::Many, may_be_empty: false
);
text_type!(
    /// The user's own name for a trusted person ("Mamma", "veilederen min i Nav"): one line,
    /// 1 to 60 characters.
    PersonLabel, PERSON_LABEL_MAX_CHARS, Lines::One, may_be_empty: false
);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn trims_and_keeps_line_breaks_in_items() {
        let item = ItemText::parse("  Gå en tur\r\nRing Kari\tnå  \n").unwrap();
        assert_eq!(item.as_str(), "Gå en tur\nRing Kari\tnå");
    }

    #[test]
    fn one_line_fields_turn_breaks_into_spaces() {
        assert_eq!(SectionName::parse(" Mine\nting ").unwrap().as_str(), "Mine ting");
        assert_eq!(
            ContactName::parse("Kari\tNordmann").unwrap().as_str(),
            "Kari Nordmann"
        );
    }

    #[test]
    fn control_characters_are_removed_not_refused() {
        let item = ItemText::parse("a\u{0}b\u{7}c\u{1b}[31md\u{7f}e\u{85}f").unwrap();
        assert_eq!(item.as_str(), "abc[31mdef");
        assert_eq!(ItemText::parse("\u{0}\u{1}\r\n"), Err(TextError::Empty));
        // Zero-width joiners are writing, not control: a family emoji stays whole.
        assert_eq!(ItemText::parse("👨‍👩‍👧").unwrap().as_str(), "👨‍👩‍👧");
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert!(ItemText::parse(&"ø".repeat(1_000)).is_ok());
        assert_eq!(
            ItemText::parse(&"ø".repeat(1_001)),
            Err(TextError::TooLong {
                max: 1_000,
                actual: 1_001
            })
        );
        assert!(SectionName::parse(&"å".repeat(80)).is_ok());
        assert_eq!(
            SectionName::parse(&"å".repeat(81)),
            Err(TextError::TooLong { max: 80, actual: 81 })
        );
        assert!(ContactName::parse(&"x".repeat(101)).is_err());
        assert!(Relation::parse(&"x".repeat(101)).is_err());
    }

    #[test]
    fn only_relation_may_be_empty() {
        assert_eq!(ItemText::parse("   "), Err(TextError::Empty));
        assert_eq!(SectionName::parse(""), Err(TextError::Empty));
        assert_eq!(ContactName::parse("\n"), Err(TextError::Empty));
        assert_eq!(Relation::parse("  ").unwrap().as_str(), "");
        assert_eq!(Relation::default().as_str(), "");
    }

    #[test]
    fn serde_is_a_plain_string_and_parses_on_the_way_in() {
        let name = SectionName::parse("Håp").unwrap();
        assert_eq!(serde_json::to_string(&name).unwrap(), "\"Håp\"");
        assert_eq!(serde_json::from_str::<SectionName>("\" Håp \"").unwrap(), name);
        assert!(serde_json::from_str::<SectionName>("\"  \"").is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn parse_never_panics_and_accepted_values_round_trip(input in ".{0,1100}|\\PC{0,90}|[\\x00-\\x20a ]{0,20}") {
            if let Ok(item) = ItemText::parse(&input) {
                prop_assert_eq!(ItemText::parse(item.as_str()), Ok(item.clone()));
                prop_assert!(item.as_str().chars().all(|c| !c.is_control() || c == '\n' || c == '\t'));
                prop_assert!(item.as_str().chars().count() <= ITEM_TEXT_MAX_CHARS);
                prop_assert_eq!(item.as_str().trim(), item.as_str());
            }
            if let Ok(name) = SectionName::parse(&input) {
                prop_assert_eq!(SectionName::parse(name.as_str()), Ok(name.clone()));
                prop_assert!(!name.as_str().chars().any(char::is_control));
            }
            if let Ok(name) = ContactName::parse(&input) {
                prop_assert_eq!(ContactName::parse(name.as_str()), Ok(name.clone()));
            }
            if let Ok(relation) = Relation::parse(&input) {
                let json = serde_json::to_string(&relation).unwrap();
                prop_assert_eq!(serde_json::from_str::<Relation>(&json).unwrap(), relation);
            }
        }
    }
}
