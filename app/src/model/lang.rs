//! The languages the app speaks. Bokmål is the default: the people this is for are in Norway.

/// A supported user interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    Nb,
    English,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nb, Lang::English];

    /// The BCP 47 code, used for `<html lang>` and for what is stored on the phone.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::English => "en",
        }
    }

    /// Reads a stored or requested code; anything unknown is `None`, so a damaged preference
    /// falls back to the default instead of breaking the app.
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code))
    }

    /// The language the switch offers from this one.
    pub const fn other(self) -> Lang {
        match self {
            Lang::Nb => Lang::English,
            Lang::English => Lang::Nb,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn parse_is_forgiving_about_case_and_space_but_not_content() {
        assert_eq!(Lang::parse(" EN "), Some(Lang::English));
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::parse("nn"), None);
        assert_eq!(Lang::parse("\"en\""), None);
        assert_eq!(Lang::parse("<script>"), None);
    }

    #[test]
    fn default_is_bokmal_and_other_toggles() {
        assert_eq!(Lang::default(), Lang::Nb);
        assert_eq!(Lang::Nb.other().other(), Lang::Nb);
    }
}
