//! The plan from the rows the boot script read (`app/src/ui/crisis_boot.js`), built by the
//! app's own model ([`Plan::from_records`]), so the crisis screen shows exactly what the plan
//! page shows.
//!
//! A row is what `app::local::store` keeps in its `records` store: `{ id, kind, current }`,
//! `current` a [`Version`]. Rows are turned into the model's JSON values by walking the
//! JavaScript objects: going through text (`JSON.stringify`, then serde_json's parser, as the
//! app's store does) would put serde_json's text parser into this module, and nothing here
//! needs it. Rows of other features (the wheel) are skipped before their bodies are read; a
//! row that cannot be read is skipped, as the app's store skips it.

use app::model::plan::Plan;
use app::model::record::{Family, Kind, Record, RecordId, Version};
use js_sys::{Array, Object, Reflect};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// The plan the rows hold; an empty plan (the ten default sections, nothing in them) when
/// there are none or they are not a list.
pub fn plan(rows: &JsValue) -> Plan {
    let records: Vec<Record> = match rows.dyn_ref::<Array>() {
        Some(rows) => rows.iter().filter_map(|row| record(&row)).collect(),
        None => Vec::new(),
    };
    Plan::from_records(&records)
}

fn record(row: &JsValue) -> Option<Record> {
    let field = |name: &str| Reflect::get(row, &JsValue::from_str(name)).ok();
    let kind = Kind::try_from(field("kind")?.as_string()?).ok()?;
    if kind.family() != Family::Plan {
        return None;
    }
    let id = RecordId::try_from(field("id")?.as_string()?).ok()?;
    let current = Version::deserialize(&json(&field("current")?)?).ok()?;
    Some(Record::new(id, kind, current))
}

/// A JavaScript value as JSON, as `JSON.stringify` and serde_json's parser would make it:
/// whole numbers as integers (positions, clocks), fields that are `undefined` left out.
/// `None` for what JSON cannot hold (a function, a symbol, a big integer).
fn json(value: &JsValue) -> Option<Value> {
    if value.is_null() || value.is_undefined() {
        return Some(Value::Null);
    }
    if let Some(flag) = value.as_bool() {
        return Some(Value::Bool(flag));
    }
    if let Some(number) = value.as_f64() {
        return Some(Value::Number(whole(number).or_else(|| Number::from_f64(number))?));
    }
    if let Some(text) = value.as_string() {
        return Some(Value::String(text));
    }
    if Array::is_array(value) {
        let items: Option<Vec<Value>> = Array::from(value).iter().map(|item| json(&item)).collect();
        return items.map(Value::Array);
    }
    let object = value.dyn_ref::<Object>()?;
    let mut fields = Map::new();
    for entry in Object::entries(object).iter() {
        let entry = Array::from(&entry);
        let value = entry.get(1);
        if !value.is_undefined() {
            fields.insert(entry.get(0).as_string()?, json(&value)?);
        }
    }
    Some(Value::Object(fields))
}

/// `number` as an integer when it is one JavaScript holds exactly (|n| ≤ 2⁵³).
fn whole(number: f64) -> Option<Number> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if number.fract() != 0.0 || number.abs() > EXACT {
        return None;
    }
    Some(if number >= 0.0 {
        Number::from(number as u64)
    } else {
        Number::from(number as i64)
    })
}
