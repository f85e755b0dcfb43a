//! Check-ins with a trusted person: what a message can say, and the shapes the check-in API
//! sends both ways (`/api/v1/checkins…`), shared by the server and the phone so the two can
//! never disagree about them.
//!
//! A check-in is small on purpose: a ready phrase, a text of at most 280 characters, a
//! one-tap answer on a five-step [`Scale`] (with optional text), or **Kontakt meg**
//! ([`Content::Help`]: "I am having a hard time, please get in touch"). Every message has an
//! id made on the phone that wrote it, so sending it again after a lost answer stores
//! nothing twice.

use serde::{Deserialize, Serialize};

use super::text::{CheckinText, TextError};
use super::wire::{required, unknown_kind};

/// The most trusted persons one user may have (invited, live or paused) at once.
pub const MAX_PEOPLE: usize = 5;
/// The most messages one person may send the other in 24 hours ("Kontakt meg" is not
/// counted: a person in a bad moment is never told to wait).
pub const MAX_MESSAGES_PER_DAY: i64 = 20;

/// How the day is going, one tap: 1 (very bad) to 5 (very good). Shown as faces and
/// colours, each with its text label, never colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Scale(u8);

impl Scale {
    pub const ALL: [Scale; 5] = [Scale(1), Scale(2), Scale(3), Scale(4), Scale(5)];

    pub fn new(value: u8) -> Option<Scale> {
        (1..=5).contains(&value).then_some(Scale(value))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Scale {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Scale::new(value).ok_or_else(|| format!("the scale goes from 1 to 5, not {value}"))
    }
}

impl From<Scale> for u8 {
    fn from(value: Scale) -> u8 {
        value.0
    }
}

/// Ready phrases: sent in two taps, shown in the reader's own language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phrase {
    /// "Tenker på deg"
    ThinkingOfYou,
    /// "Hvordan går det i dag?"
    HowAreYou,
    /// "Jeg har en god dag"
    GoodDay,
}

impl Phrase {
    pub const ALL: [Phrase; 3] = [Phrase::ThinkingOfYou, Phrase::HowAreYou, Phrase::GoodDay];

    pub fn name(self) -> &'static str {
        match self {
            Phrase::ThinkingOfYou => "thinking_of_you",
            Phrase::HowAreYou => "how_are_you",
            Phrase::GoodDay => "good_day",
        }
    }

    pub fn parse(name: &str) -> Option<Phrase> {
        Phrase::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// What one message says. Written as `{"kind": "answer", "scale": 2, …}`; read through
/// [`ContentWire`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ContentWire")]
pub enum Content {
    Text {
        text: CheckinText,
    },
    Phrase {
        phrase: Phrase,
    },
    /// A one-tap answer, with optional words.
    Answer {
        scale: Scale,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<CheckinText>,
    },
    /// "Kontakt meg": only the user sends it, to every trusted person at once.
    Help,
}

impl Content {
    pub fn kind(&self) -> &'static str {
        match self {
            Content::Text { .. } => "text",
            Content::Phrase { .. } => "phrase",
            Content::Answer { .. } => "answer",
            Content::Help => "help",
        }
    }

    /// The stored columns: `(kind, text, scale, phrase)`.
    pub fn columns(&self) -> (&'static str, Option<&str>, Option<i64>, Option<&'static str>) {
        match self {
            Content::Text { text } => ("text", Some(text.as_str()), None, None),
            Content::Phrase { phrase } => ("phrase", None, None, Some(phrase.name())),
            Content::Answer { scale, text } => (
                "answer",
                text.as_ref().map(CheckinText::as_str),
                Some(i64::from(scale.get())),
                None,
            ),
            Content::Help => ("help", None, None, None),
        }
    }

    /// Back from the stored columns (`None` if they do not make a message).
    pub fn from_columns(
        kind: &str,
        text: Option<&str>,
        scale: Option<i64>,
        phrase: Option<&str>,
    ) -> Option<Content> {
        let words = text.and_then(|t| CheckinText::parse(t).ok());
        match kind {
            "text" => Some(Content::Text { text: words? }),
            "phrase" => Some(Content::Phrase {
                phrase: Phrase::parse(phrase?)?,
            }),
            "answer" => Some(Content::Answer {
                scale: Scale::new(u8::try_from(scale?).ok()?)?,
                text: words,
            }),
            "help" => Some(Content::Help),
            _ => None,
        }
    }
}

/// How [`Content`] (and a [`Message`], through [`MessageWire`]) is read: the kind and the
/// fields side by side, then checked. The same JSON as serde's internally tagged enum reads,
/// without serde's buffering of the input for such an enum (and for `flatten`), whose code
/// was about 48 KiB of the phone's `later` chunk before `wasm-opt`.
#[derive(Deserialize)]
pub struct ContentWire {
    kind: String,
    #[serde(default)]
    text: Option<CheckinText>,
    #[serde(default)]
    phrase: Option<Phrase>,
    #[serde(default)]
    scale: Option<Scale>,
}

impl TryFrom<ContentWire> for Content {
    type Error = String;

    fn try_from(wire: ContentWire) -> Result<Content, String> {
        let ContentWire {
            kind,
            text,
            phrase,
            scale,
        } = wire;
        match kind.as_str() {
            "text" => Ok(Content::Text {
                text: required(text, "text")?,
            }),
            "phrase" => Ok(Content::Phrase {
                phrase: required(phrase, "phrase")?,
            }),
            "answer" => Ok(Content::Answer {
                scale: required(scale, "scale")?,
                text,
            }),
            "help" => Ok(Content::Help),
            other => Err(unknown_kind(other, &["text", "phrase", "answer", "help"])),
        }
    }
}

/// Why a message was refused: which field, and a sentence saying why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub field: &'static str,
    pub reason: String,
}

/// A message as it arrives: loose fields, parsed by [`RawMessage::parse`] into an id and
/// [`Content`] with an error naming the field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMessage {
    pub id: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<String>,
}

impl RawMessage {
    /// The wire form of a message to send.
    pub fn new(id: &str, content: &Content) -> RawMessage {
        let (kind, text, scale, phrase) = content.columns();
        RawMessage {
            id: id.to_owned(),
            kind: kind.to_owned(),
            text: text.map(str::to_owned),
            scale,
            phrase: phrase.map(str::to_owned),
        }
    }

    pub fn parse(&self) -> Result<(uuid::Uuid, Content), Refused> {
        let refuse = |field: &'static str, reason: &str| Refused {
            field,
            reason: reason.to_owned(),
        };
        let id = uuid::Uuid::try_parse(&self.id)
            .ok()
            .filter(|u| !u.is_nil() && self.id.len() == 36)
            .ok_or_else(|| refuse("id", "A message id is a hyphenated UUID made on the phone."))?;
        let text = |required: bool| -> Result<Option<CheckinText>, Refused> {
            match self.text.as_deref() {
                None if required => Err(refuse("text", "Write something, or choose a ready phrase.")),
                None => Ok(None),
                Some(t) if !required && t.trim().is_empty() => Ok(None),
                Some(t) => CheckinText::parse(t).map(Some).map_err(|e| match e {
                    TextError::Empty => refuse("text", "Write something, or choose a ready phrase."),
                    TextError::TooLong { max, actual } => Refused {
                        field: "text",
                        reason: format!("A check-in is at most {max} characters; this one has {actual}."),
                    },
                }),
            }
        };
        let content = match self.kind.as_str() {
            "text" => Content::Text {
                text: text(true)?.ok_or_else(|| refuse("text", "Write something."))?,
            },
            "phrase" => Content::Phrase {
                phrase: self.phrase.as_deref().and_then(Phrase::parse).ok_or_else(|| {
                    refuse("phrase", "A phrase is thinking_of_you, how_are_you or good_day.")
                })?,
            },
            "answer" => Content::Answer {
                scale: self
                    .scale
                    .and_then(|s| u8::try_from(s).ok())
                    .and_then(Scale::new)
                    .ok_or_else(|| refuse("scale", "An answer is 1 to 5 on the scale."))?,
                text: text(false)?,
            },
            "help" => Content::Help,
            _ => {
                return Err(refuse(
                    "kind",
                    "A message is of kind text, phrase, answer or help.",
                ))
            }
        };
        Ok((id, content))
    }
}

/// Who the caller is in a relationship.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The caller is the user; the other person is their trusted person.
    Owner,
    /// The caller is the trusted person of the other.
    Trusted,
}

/// Where a relationship stands. Ended ones are not listed at all: the phone deletes its
/// copy of a conversation that is no longer in the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Invited; the code is not used yet.
    Pending,
    Live,
    /// Paused by the user: no messages either way, and no reason shown.
    Paused,
}

/// One message as the API shows it to one side; its content's fields are beside the others
/// (read through [`MessageWire`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "MessageWire")]
pub struct Message {
    pub id: String,
    /// Sent by the caller.
    pub mine: bool,
    #[serde(flatten)]
    pub content: Content,
    /// When the server got it.
    pub sent_ms: i64,
    /// When the other phone fetched it.
    #[serde(default)]
    pub delivered_ms: Option<i64>,
    /// When it was opened (always `None` while read receipts are off).
    #[serde(default)]
    pub read_ms: Option<i64>,
    /// Kontakt meg: when the trusted person said "Jeg tar kontakt".
    #[serde(default)]
    pub ack_ms: Option<i64>,
}

/// How a [`Message`] is read: every field side by side (see [`ContentWire`]). The content's
/// four fields repeat `ContentWire`'s on purpose: `#[serde(flatten)]` would bring back the
/// buffering these types avoid.
#[derive(Deserialize)]
pub struct MessageWire {
    id: String,
    mine: bool,
    kind: String,
    #[serde(default)]
    text: Option<CheckinText>,
    #[serde(default)]
    phrase: Option<Phrase>,
    #[serde(default)]
    scale: Option<Scale>,
    sent_ms: i64,
    #[serde(default)]
    delivered_ms: Option<i64>,
    #[serde(default)]
    read_ms: Option<i64>,
    #[serde(default)]
    ack_ms: Option<i64>,
}

impl TryFrom<MessageWire> for Message {
    type Error = String;

    fn try_from(wire: MessageWire) -> Result<Message, String> {
        let content = Content::try_from(ContentWire {
            kind: wire.kind,
            text: wire.text,
            phrase: wire.phrase,
            scale: wire.scale,
        })?;
        Ok(Message {
            id: wire.id,
            mine: wire.mine,
            content,
            sent_ms: wire.sent_ms,
            delivered_ms: wire.delivered_ms,
            read_ms: wire.read_ms,
            ack_ms: wire.ack_ms,
        })
    }
}

/// Why the server refused something the phone sent, as the phone keeps it with a message
/// that was not sent: the facts (`409 conflict paused`), not the server's sentence, which is
/// English and for developers, so the page says it in the user's language when they look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status.
    pub code: u16,
    /// The answer's stable `error` code.
    pub error: Option<String>,
    /// The field the answer names.
    pub field: Option<String>,
}

impl Refusal {
    /// The kept form: three words, `-` for what the answer did not say.
    pub fn keep(&self) -> String {
        let word = |w: &Option<String>| match w.as_deref() {
            Some(w) if !w.is_empty() && !w.contains(' ') => w.to_owned(),
            _ => "-".to_owned(),
        };
        format!("{} {} {}", self.code, word(&self.error), word(&self.field))
    }

    /// Reads what [`Refusal::keep`] wrote; `None` for anything else (a refusal kept by an
    /// earlier version: the server's sentence).
    pub fn from_kept(kept: &str) -> Option<Refusal> {
        let mut words = kept.split(' ');
        let code = words.next()?.parse().ok()?;
        let word = |w: &str| (w != "-").then(|| w.to_owned());
        let (error, field) = (words.next()?, words.next()?);
        if words.next().is_some() {
            return None;
        }
        Some(Refusal {
            code,
            error: word(error),
            field: word(field),
        })
    }
}

/// One relationship, seen from the caller's side, with its messages (oldest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The relationship's id (it is a share of scope `checkins`).
    pub id: String,
    pub role: Role,
    /// Owner: the name the user gave them; trusted: the user's account name.
    pub name: String,
    pub status: Status,
    pub read_receipts: bool,
    /// The trusted person's phone number, when they gave one.
    #[serde(default)]
    pub phone: Option<String>,
    /// The user's own number, when they chose to give it to this trusted person: the
    /// trusted person's call and text buttons on a "Kontakt meg".
    #[serde(default)]
    pub user_phone: Option<String>,
    /// The trusted person's own reminder: ISO weekday, 1 (Monday) to 7 (Sunday).
    #[serde(default)]
    pub reminder: Option<u8>,
    #[serde(default)]
    pub messages: Vec<Message>,
}

/// `GET /api/v1/checkins`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    pub people: Vec<Person>,
}

/// Where the user's latest "Kontakt meg" stands: never more certain than it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpState {
    pub sent_ms: i64,
    /// Who said "Jeg tar kontakt", and when (first first).
    pub coming: Vec<(String, i64)>,
}

/// The state of the user's latest Kontakt meg (by the time the server got it), over every
/// trusted person it went to; `None` if the user never asked.
pub fn help_state(people: &[Person]) -> Option<HelpState> {
    let latest = people
        .iter()
        .filter(|p| p.role == Role::Owner)
        .flat_map(|p| p.messages.iter())
        .filter(|m| m.mine && m.content == Content::Help)
        .max_by_key(|m| (m.sent_ms, m.id.clone()))?;
    let mut coming: Vec<(String, i64)> = people
        .iter()
        .filter(|p| p.role == Role::Owner)
        .filter_map(|p| {
            p.messages
                .iter()
                .find(|m| m.id == latest.id)
                .and_then(|m| m.ack_ms)
                .map(|at| (p.name.clone(), at))
        })
        .collect();
    super::order::sort_by_key(&mut coming, |(_, at)| *at);
    Some(HelpState {
        sent_ms: latest.sent_ms,
        coming,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_kept_as_facts_and_read_back() {
        let paused = Refusal {
            code: 409,
            error: Some("conflict".into()),
            field: Some("paused".into()),
        };
        assert_eq!(paused.keep(), "409 conflict paused");
        assert_eq!(Refusal::from_kept(&paused.keep()), Some(paused));
        let bare = Refusal {
            code: 500,
            error: None,
            field: Some("has space".into()),
        };
        assert_eq!(bare.keep(), "500 - -");
        assert_eq!(
            Refusal::from_kept("500 - -"),
            Some(Refusal {
                code: 500,
                error: None,
                field: None
            })
        );
        // What an earlier version kept: the server's sentence, or the status alone.
        assert_eq!(Refusal::from_kept("Check-ins with this person are paused."), None);
        assert_eq!(Refusal::from_kept("409"), None);
        assert_eq!(Refusal::from_kept(""), None);
        assert_eq!(Refusal::from_kept("409 a b c"), None);
    }

    fn raw(kind: &str) -> RawMessage {
        RawMessage {
            id: "0190a000-0000-7000-8000-000000000001".into(),
            kind: kind.into(),
            ..RawMessage::default()
        }
    }

    #[test]
    fn messages_parse_with_the_field_to_blame() {
        let mut m = raw("text");
        m.text = Some("Tenker på deg".into());
        assert!(matches!(m.parse().unwrap().1, Content::Text { .. }));
        m.text = Some("ø".repeat(281));
        let refused = m.parse().unwrap_err();
        assert_eq!(refused.field, "text");
        assert!(refused.reason.contains("280"), "{}", refused.reason);
        m.text = Some("ø".repeat(280));
        assert!(m.parse().is_ok());
        let mut a = raw("answer");
        a.scale = Some(6);
        assert_eq!(a.parse().unwrap_err().field, "scale");
        a.scale = Some(4);
        a.text = Some("  ".into());
        assert_eq!(
            a.parse().unwrap().1,
            Content::Answer {
                scale: Scale::new(4).unwrap(),
                text: None
            }
        );
        let mut p = raw("phrase");
        p.phrase = Some("how_are_you".into());
        assert_eq!(
            p.parse().unwrap().1,
            Content::Phrase {
                phrase: Phrase::HowAreYou
            }
        );
        assert_eq!(raw("alarm").parse().unwrap_err().field, "kind");
        let mut bad_id = raw("help");
        bad_id.id = "42".into();
        assert_eq!(bad_id.parse().unwrap_err().field, "id");
    }

    #[test]
    fn content_round_trips_through_columns_and_json() {
        for content in [
            Content::Text {
                text: CheckinText::parse("Hei").unwrap(),
            },
            Content::Phrase {
                phrase: Phrase::GoodDay,
            },
            Content::Answer {
                scale: Scale::new(2).unwrap(),
                text: Some(CheckinText::parse("tung dag").unwrap()),
            },
            Content::Help,
        ] {
            let (kind, text, scale, phrase) = content.columns();
            assert_eq!(
                Content::from_columns(kind, text, scale, phrase),
                Some(content.clone())
            );
            let raw = RawMessage::new("0190a000-0000-7000-8000-000000000001", &content);
            assert_eq!(raw.parse().unwrap().1, content);
            let message = Message {
                id: "x".into(),
                mine: true,
                content: content.clone(),
                sent_ms: 1,
                delivered_ms: None,
                read_ms: None,
                ack_ms: None,
            };
            let json = serde_json::to_string(&message).unwrap();
            assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), message);
        }
    }

    #[test]
    fn a_message_is_read_from_its_flat_json_and_checked() {
        let read =
            |json: serde_json::Value| serde_json::from_value::<Message>(json).map_err(|e| e.to_string());
        let answer = read(serde_json::json!({
            "id": "m", "mine": false, "kind": "answer", "scale": 2, "sent_ms": 5, "read_ms": 7
        }))
        .unwrap();
        assert_eq!(
            answer.content,
            Content::Answer {
                scale: Scale::new(2).unwrap(),
                text: None
            }
        );
        assert_eq!(
            (answer.sent_ms, answer.delivered_ms, answer.read_ms),
            (5, None, Some(7))
        );
        let base = |kind: &str| serde_json::json!({"id": "m", "mine": true, "kind": kind, "sent_ms": 1});
        assert_eq!(read(base("help")).unwrap().content, Content::Help);
        let missing = read(base("text")).unwrap_err();
        assert!(missing.contains("missing field `text`"), "{missing}");
        let unknown = read(base("video")).unwrap_err();
        assert!(unknown.contains("unknown variant `video`"), "{unknown}");
        let mut six = base("answer");
        six["scale"] = 6.into();
        assert!(read(six).is_err());
        let mut no_time = base("help");
        no_time.as_object_mut().unwrap().remove("sent_ms");
        assert!(read(no_time).is_err());
        let content = serde_json::from_value::<Content>(
            serde_json::json!({"kind": "phrase", "phrase": "thinking_of_you"}),
        );
        assert_eq!(
            content.unwrap(),
            Content::Phrase {
                phrase: Phrase::ThinkingOfYou
            }
        );
    }

    #[test]
    fn help_state_says_only_what_is_known() {
        let help = |id: &str, sent: i64, ack: Option<i64>| Message {
            id: id.into(),
            mine: true,
            content: Content::Help,
            sent_ms: sent,
            delivered_ms: None,
            read_ms: None,
            ack_ms: ack,
        };
        let person = |name: &str, messages: Vec<Message>| Person {
            id: name.into(),
            role: Role::Owner,
            name: name.into(),
            status: Status::Live,
            read_receipts: true,
            phone: None,
            user_phone: None,
            reminder: None,
            messages,
        };
        assert_eq!(help_state(&[person("Mamma", vec![])]), None);
        let people = [
            person("Mamma", vec![help("a", 10, Some(50)), help("b", 100, None)]),
            person("Ola", vec![help("b", 100, None)]),
        ];
        assert_eq!(
            help_state(&people),
            Some(HelpState {
                sent_ms: 100,
                coming: vec![]
            })
        );
        let people = [
            person("Mamma", vec![help("b", 100, Some(130))]),
            person("Ola", vec![help("b", 100, Some(120))]),
        ];
        let state = help_state(&people).unwrap();
        assert_eq!(state.coming, vec![("Ola".into(), 120), ("Mamma".into(), 130)]);
    }
}
