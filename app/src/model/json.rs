//! Reading a typed value out of a parsed `serde_json::Value`: [`from_value`].
//!
//! Every record body, IndexedDB row and API answer is parsed into a `Value` once (the text
//! parser is compiled once) and then read into its type here. This reader differs from
//! `serde_json::from_value` in one way: a struct is read only from a JSON object. serde_json
//! also accepts a struct written as an array of its fields, so its reader compiled every
//! struct's array path as well (about 30 KiB of the browser's `later` chunk before
//! `wasm-opt`), for a form Tillit never writes. An array where a struct belongs is now an
//! "invalid type" error, as any other wrong shape. It also reads only from a borrowed
//! `Value`, so each type is compiled once rather than once for owned and once for borrowed.
//!
//! Map keys are strings (JSON's), read through serde's string deserializer: a key type must
//! read from a string (as `RecordId` does).

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Error as _, IntoDeserializer, Unexpected, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Error, Value};

/// Reads `T` from `value`; serde's message on a wrong shape.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {
    T::deserialize(Read(value))
}

/// Reads `T` from JSON text: parsed into a `Value` (serde_json's text parser, compiled once
/// for `Value`), then read by [`from_value`].
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    from_value(&serde_json::from_str::<Value>(text)?)
}

/// A `Value` as a deserializer.
struct Read<'de>(&'de Value);

impl<'de> Read<'de> {
    fn unexpected(&self) -> Unexpected<'de> {
        match self.0 {
            Value::Null => Unexpected::Unit,
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Unexpected::Unsigned(u),
                (None, Some(i)) => Unexpected::Signed(i),
                _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Unexpected::Str(s),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
        }
    }

    fn wrong<V: Visitor<'de>>(&self, visitor: &V) -> Error {
        Error::invalid_type(self.unexpected(), visitor)
    }
}

fn seq<'de, V: Visitor<'de>>(items: &'de [Value], visitor: V) -> Result<V::Value, Error> {
    let mut access = Seq(items.iter());
    let value = visitor.visit_seq(&mut access)?;
    match access.0.len() {
        0 => Ok(value),
        left => Err(Error::invalid_length(
            items.len() - left,
            &"fewer elements in the array",
        )),
    }
}

fn map<'de, V: Visitor<'de>>(
    object: &'de serde_json::Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Error> {
    visitor.visit_map(Map {
        entries: object.iter(),
        value: None,
    })
}

impl<'de> de::Deserializer<'de> for Read<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (None, None, Some(f)) => visitor.visit_f64(f),
                (None, None, None) => Err(self.wrong(&visitor)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => seq(items, visitor),
            Value::Object(object) => map(object, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// The one difference from serde_json's reader: an object only (see the module's doc).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(object) => map(object, visitor),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => seq(items, visitor),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    /// A unit variant is a string (`"walk"`); any other variant an object with one key.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(s.as_str())),
            Value::Object(object) if object.len() == 1 => {
                let (variant, value) = object.iter().next().expect("one entry");
                visitor.visit_enum(Enum { variant, value })
            }
            Value::Object(_) => Err(Error::invalid_value(
                Unexpected::Map,
                &"a map with a single key (the variant)",
            )),
            _ => Err(self.wrong(&visitor)),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf identifier
    }
}

struct Seq<'de>(std::slice::Iter<'de, Value>);

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|item| seed.deserialize(Read(item))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'de> {
    entries: serde_json::map::Iter<'de>,
    value: Option<&'de Value>,
}

impl<'de> de::MapAccess<'de> for Map<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Read(value)),
            None => Err(Error::custom("a map's value read before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Enum<'de> {
    variant: &'de str,
    value: &'de Value,
}

impl<'de> de::EnumAccess<'de> for Enum<'de> {
    type Error = Error;
    type Variant = Read<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Read<'de>), Error> {
        let variant = seed.deserialize(BorrowedStrDeserializer::new(self.variant))?;
        Ok((variant, Read(self.value)))
    }
}

impl<'de> de::VariantAccess<'de> for Read<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Value::Null => Ok(()),
            _ => Err(Error::invalid_type(self.unexpected(), &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Row {
        id: String,
        #[serde(default)]
        tags: Vec<String>,
        note: Option<String>,
        when: Moment,
        count: u8,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Moment {
        Now,
        Day(i32),
        Span { from: i64, to: i64 },
    }

    #[test]
    fn reads_what_serde_json_reads_from_an_object() {
        let json = json!({"id": "a", "tags": ["x", "y"], "note": null, "when": {"span": {"from": -1, "to": 2}}, "count": 3});
        let row: Row = from_value(&json).unwrap();
        assert_eq!(row, serde_json::from_value::<Row>(json).unwrap());
        assert_eq!(row.when, Moment::Span { from: -1, to: 2 });

        let json = json!({"id": "b", "when": "now", "count": 0, "note": "n", "extra": [1, {"z": 2}]});
        assert_eq!(
            from_value::<Row>(&json).unwrap(),
            serde_json::from_value::<Row>(json).unwrap()
        );
        assert_eq!(from_value::<Moment>(&json!({"day": 7})).unwrap(), Moment::Day(7));
    }

    #[test]
    fn a_struct_is_not_read_from_an_array() {
        let json = json!(["a", [], null, "now", 1]);
        assert!(
            serde_json::from_value::<Row>(json.clone()).is_ok(),
            "serde_json's reader accepts it"
        );
        let err = from_value::<Row>(&json).unwrap_err().to_string();
        assert!(err.contains("invalid type: sequence"), "{err}");
    }

    #[test]
    fn wrong_shapes_are_clear_errors() {
        let err = |json: Value| from_value::<Row>(&json).unwrap_err().to_string();
        assert!(err(json!({"id": "a", "when": "now"})).contains("missing field `count`"));
        assert!(err(json!({"id": "a", "when": "now", "count": 300})).contains("invalid value: integer `300`"));
        assert!(err(json!({"id": "a", "when": "now", "count": -1})).contains("invalid value: integer `-1`"));
        assert!(err(json!({"id": "a", "when": "now", "count": 1.5})).contains("invalid type: floating point"));
        assert!(err(json!({"id": 5, "when": "now", "count": 1})).contains("invalid type: integer `5`"));
        assert!(err(json!({"id": "a", "when": "later", "count": 1})).contains("unknown variant `later`"));
        assert!(err(json!({"id": "a", "when": {"day": 1, "now": null}, "count": 1})).contains("single key"));
        assert!(err(json!({"id": "a", "when": {"now": 1}, "count": 1})).contains("unit variant"));
        assert!(err(json!("row")).contains("invalid type: string \"row\""));
        assert!(from_value::<(u8, u8)>(&json!([1, 2, 3]))
            .unwrap_err()
            .to_string()
            .contains("invalid length"));
    }

    #[test]
    fn text_is_parsed_then_read() {
        let row: Row = from_str(r#"{"id": "a", "when": {"day": 2}, "count": 1}"#).unwrap();
        assert_eq!(row.when, Moment::Day(2));
        assert!(from_str::<Row>(r#"{"id": "a""#).is_err());
        assert!(from_str::<Row>(r#"["a", [], null, "now", 1]"#).is_err());
    }

    #[test]
    fn maps_lists_and_options() {
        let json = json!({"b": [1, 2], "a": []});
        let map: BTreeMap<String, Vec<u32>> = from_value(&json).unwrap();
        assert_eq!(map["b"], vec![1, 2]);
        assert_eq!(from_value::<Option<u8>>(&json!(null)).unwrap(), None);
        assert_eq!(
            from_value::<(u8, String)>(&json!([4, "x"])).unwrap(),
            (4, "x".to_owned())
        );
        assert_eq!(from_value::<Value>(&json).unwrap(), json);
        assert_eq!(from_value::<f64>(&json!(2.5)).unwrap(), 2.5);
    }
}
