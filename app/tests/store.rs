//! The IndexedDB store in a real browser (headless Chromium through chromedriver):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p app --features hydrate
//! --target wasm32-unknown-unknown --test store` (scripts/test runs it).
#![cfg(all(target_arch = "wasm32", feature = "hydrate"))]

use app::local::store::{Holding, Incoming, Store, StoreError, SyncMark, DB_NAME, SYNC_KEY};
use app::model::hlc::{DeviceId, Hlc};
use app::model::record::{Kind, RecordId, Version};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::Serialize;
use serde_json::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn id(n: u8) -> RecordId {
    RecordId::new_v7(1_700_000_000_000 + u64::from(n), [n; 10])
}

async fn fresh() -> Store {
    Rexie::delete(DB_NAME).await.expect("delete the old database");
    Store::open().await.expect("open a new database")
}

fn text(t: &str) -> Option<serde_json::Value> {
    Some(json!({ "section": id(200).to_string(), "text": t, "position": 1024 }))
}

#[wasm_bindgen_test]
async fn an_edit_writes_record_history_and_outbox_together() {
    let store = fresh().await;
    store
        .edit(
            vec![
                (id(1), Kind::PlanItem, text("a")),
                (id(2), Kind::PlanItem, text("b")),
            ],
            1_000,
        )
        .await
        .unwrap();
    store
        .edit(vec![(id(1), Kind::PlanItem, text("a, changed"))], 2_000)
        .await
        .unwrap();

    let records = store.records().await.unwrap().records;
    assert_eq!(records.len(), 2);
    let first = records.iter().find(|r| r.id() == id(1)).unwrap();
    assert_eq!(first.current().body["text"], "a, changed");
    assert_eq!(first.history().len(), 1, "the earlier version is kept");
    assert_eq!(first.history()[0].body["text"], "a");
    assert_eq!(
        store.outbox().await.unwrap().len(),
        3,
        "every edit waits in the outbox"
    );
    store.close();
}

#[wasm_bindgen_test]
async fn a_failed_write_leaves_no_half_state() {
    let store = fresh().await;
    store
        .edit(vec![(id(1), Kind::PlanItem, text("kept"))], 1_000)
        .await
        .unwrap();
    let existing = store.records().await.unwrap().records[0].current().clone();

    // The first change is fine; the second reuses the first record's timestamp with other
    // content, which the merge rule refuses. The whole write must go, the first included.
    let forged = Version {
        body: json!({ "section": id(200).to_string(), "text": "forged", "position": 1 }),
        ..existing.clone()
    };
    let good = Version::new(
        Hlc {
            wall_ms: 5_000,
            counter: 0,
            device: DeviceId::parse("other").unwrap(),
        },
        text("new").unwrap(),
    );
    let result = store
        .apply(
            &[
                Incoming {
                    id: id(2),
                    kind: Kind::PlanItem,
                    version: good,
                },
                Incoming {
                    id: id(1),
                    kind: Kind::PlanItem,
                    version: forged,
                },
            ],
            6_000,
        )
        .await;
    assert!(result.is_err(), "the write is refused");
    let records = store.records().await.unwrap().records;
    assert_eq!(records.len(), 1, "nothing of the refused write is there");
    assert_eq!(records[0].current(), &existing);
    assert_eq!(store.outbox().await.unwrap().len(), 1);
    store.close();
}

#[wasm_bindgen_test]
async fn applying_the_same_versions_twice_changes_nothing() {
    let store = fresh().await;
    let version = Version::new(
        Hlc {
            wall_ms: 5_000,
            counter: 0,
            device: DeviceId::parse("other").unwrap(),
        },
        text("x").unwrap(),
    );
    let change = [Incoming {
        id: id(3),
        kind: Kind::PlanItem,
        version,
    }];
    assert_eq!(store.apply(&change, 6_000).await.unwrap().changed, 1);
    assert_eq!(store.apply(&change, 6_000).await.unwrap().changed, 0);
    assert!(
        store.outbox().await.unwrap().is_empty(),
        "versions from elsewhere are not this device's edits"
    );
    store.close();
}

#[wasm_bindgen_test]
async fn history_keeps_every_version_through_a_delete() {
    let store = fresh().await;
    for (n, t) in ["one", "two", "three"].iter().enumerate() {
        store
            .edit(vec![(id(4), Kind::PlanItem, text(t))], 1_000 + n as u64)
            .await
            .unwrap();
    }
    store
        .edit(vec![(id(4), Kind::PlanItem, None)], 2_000)
        .await
        .unwrap();
    let record = store.records().await.unwrap().records.remove(0);
    assert!(record.is_deleted());
    let texts: Vec<_> = record
        .history()
        .iter()
        .map(|v| v.body["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(texts, ["one", "two", "three"]);
    store.close();
}

#[derive(Serialize)]
struct Row<T> {
    key: String,
    value: T,
}

#[wasm_bindgen_test]
async fn a_version_1_database_is_upgraded_on_open() {
    Rexie::delete(DB_NAME).await.unwrap();
    // Version 1: the same four stores, without the indexes, and no record schema in meta.
    let old = Rexie::builder(DB_NAME)
        .version(1)
        .add_object_store(ObjectStore::new("records").key_path("id"))
        .add_object_store(ObjectStore::new("history").key_path("key"))
        .add_object_store(ObjectStore::new("outbox").key_path("key"))
        .add_object_store(ObjectStore::new("meta").key_path("key"))
        .build()
        .await
        .unwrap();
    let version = json!({ "hlc": { "wall_ms": 1000, "counter": 0, "device": "old-phone" }, "deleted": false, "schema": 1,
        "body": { "section": id(200).to_string(), "text": "written long ago", "position": 1024 } });
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    let tx = old
        .transaction(&["records", "history", "meta"], TransactionMode::ReadWrite)
        .unwrap();
    let row = json!({ "id": id(9).to_string(), "kind": "plan.item", "current": version });
    tx.store("records")
        .unwrap()
        .put(&row.serialize(&ser).unwrap(), None)
        .await
        .unwrap();
    let hist = json!({ "key": format!("{}/old", id(9)), "id": id(9).to_string(), "version": version });
    tx.store("history")
        .unwrap()
        .put(&hist.serialize(&ser).unwrap(), None)
        .await
        .unwrap();
    let device = Row {
        key: "device".into(),
        value: "old-phone",
    };
    tx.store("meta")
        .unwrap()
        .put(&device.serialize(&ser).unwrap(), None)
        .await
        .unwrap();
    tx.done().await.unwrap();
    old.close();

    let store = Store::open().await.expect("the old database opens and upgrades");
    assert_eq!(store.device().as_str(), "old-phone", "the device keeps its id");
    let records = store.records().await.unwrap().records;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].current().body["text"], "written long ago");
    // The new `id` index works on the old rows: an edit reads the record's history through it.
    store
        .edit(vec![(id(9), Kind::PlanItem, text("and changed now"))], 5_000)
        .await
        .unwrap();
    let record = store.records().await.unwrap().records.remove(0);
    assert_eq!(record.current().body["text"], "and changed now");
    assert_eq!(record.history()[0].body["text"], "written long ago");
    store.close();
}

#[wasm_bindgen_test]
async fn a_damaged_row_is_skipped_not_fatal() {
    let store = fresh().await;
    store
        .edit(vec![(id(5), Kind::PlanItem, text("still readable"))], 1_000)
        .await
        .unwrap();
    store.close();
    // Something else wrote a row this version cannot read.
    let db = Rexie::builder(DB_NAME)
        .version(2)
        .add_object_store(
            ObjectStore::new("records")
                .key_path("id")
                .add_index(rexie::Index::new("kind", "kind")),
        )
        .add_object_store(
            ObjectStore::new("history")
                .key_path("key")
                .add_index(rexie::Index::new("id", "id")),
        )
        .add_object_store(ObjectStore::new("outbox").key_path("key"))
        .add_object_store(ObjectStore::new("meta").key_path("key"))
        .build()
        .await
        .unwrap();
    let tx = db.transaction(&["records"], TransactionMode::ReadWrite).unwrap();
    let damaged = json!({ "id": "not-a-uuid", "kind": "plan.item", "current": 42 });
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    tx.store("records")
        .unwrap()
        .put(&damaged.serialize(&ser).unwrap(), None)
        .await
        .unwrap();
    tx.done().await.unwrap();
    db.close();

    let store = Store::open().await.unwrap();
    let loaded = store.records().await.unwrap();
    assert_eq!(loaded.skipped, 1, "the damaged row is counted");
    assert_eq!(loaded.records.len(), 1, "the rest of the plan still loads");
    assert_eq!(loaded.records[0].current().body["text"], "still readable");
    store.close();
}

#[wasm_bindgen_test]
async fn the_wheel_writes_dated_ratings_through_the_same_store() {
    use app::local::plan_store::PlanStore;
    use app::model::date::Date;
    use app::model::wheel::{DefaultArea, Scale, Score, Scores, Wheel};

    Rexie::delete(DB_NAME).await.expect("delete the old database");
    let store = PlanStore::open().await.expect("open a new database");
    let housing = DefaultArea::Housing.record_id();
    let day = |text| Date::parse(text).unwrap();
    let scores = |n| {
        let mut scores = Scores::default();
        scores.set(Scale::Performance, Some(Score::new(n).unwrap()));
        scores
    };
    let wheel = || async { Wheel::from_records(&store.store().records().await.unwrap().records) };

    store.set_chosen(&wheel().await, housing, true).await.unwrap();
    store
        .rate(&wheel().await, housing, day("2026-09-01"), scores(3))
        .await
        .unwrap();
    // The same day again corrects that day's rating; a later day is a new rating.
    store
        .rate(&wheel().await, housing, day("2026-09-01"), scores(4))
        .await
        .unwrap();
    store
        .rate(&wheel().await, housing, day("2026-11-20"), scores(7))
        .await
        .unwrap();

    let records = store.store().records().await.unwrap().records;
    let ratings: Vec<_> = records.iter().filter(|r| r.kind() == Kind::WheelRating).collect();
    assert_eq!(ratings.len(), 2, "one record per day");
    let first_day = ratings
        .iter()
        .find(|r| r.current().body["date"] == "2026-09-01")
        .unwrap();
    assert_eq!(
        first_day.history().len(),
        1,
        "the corrected score stays in the history"
    );
    let area = Wheel::from_records(&records).area(housing).cloned().unwrap();
    assert!(area.body.chosen);
    let change = area.change(Scale::Performance).unwrap();
    assert_eq!((change.first.get(), change.latest.get()), (4, 7));
    assert!(change.is_meaningful());
    assert_eq!(
        store.store().outbox().await.unwrap().len(),
        4,
        "every write waits in the outbox"
    );
    store.close();
}

#[wasm_bindgen_test]
async fn a_sync_round_is_taken_in_whole_and_acknowledges_only_what_was_sent() {
    let store = fresh().await;
    store
        .edit(vec![(id(1), Kind::PlanItem, text("mine"))], 1_000)
        .await
        .unwrap();
    let sent = store.outbox().await.unwrap();
    assert_eq!(sent.len(), 1);
    // An edit made while the push was on its way: not acknowledged by this round.
    store
        .edit(vec![(id(2), Kind::PlanItem, text("later"))], 2_000)
        .await
        .unwrap();

    // The server's answer: another device changed record 1 earlier than we did (a
    // conflict), and made record 3.
    let other = |wall_ms, t: &str| {
        Version::new(
            Hlc {
                wall_ms,
                counter: 0,
                device: DeviceId::parse("other").unwrap(),
            },
            text(t).unwrap(),
        )
    };
    let pulled = [
        Incoming {
            id: id(1),
            kind: Kind::PlanItem,
            version: other(500, "theirs"),
        },
        Incoming {
            id: id(3),
            kind: Kind::PlanItem,
            version: other(9_000, "new there"),
        },
    ];
    let mark = SyncMark {
        user: "u1".into(),
        cursor: 42,
        seeded: true,
    };
    let keys: Vec<String> = sent.iter().map(|row| row.key.clone()).collect();
    assert!(
        store.tie_to("u1", true).await.unwrap(),
        "the user chose to keep the plan"
    );
    let applied = store.take_sync(&pulled, &keys, &mark, 3_000).await.unwrap();
    assert_eq!(applied.changed, 2);
    assert_eq!(applied.conflicts, vec![id(1)], "changed on two devices");

    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1, "only the acknowledged entry left the outbox");
    assert_eq!(outbox[0].id, id(2));
    assert_eq!(
        store.meta::<SyncMark>(SYNC_KEY).await.unwrap(),
        Some(mark.clone())
    );
    let records = store.records().await.unwrap().records;
    let first = records.iter().find(|r| r.id() == id(1)).unwrap();
    assert_eq!(first.current().body["text"], "mine", "the later edit is in force");
    assert_eq!(first.history()[0].body["text"], "theirs", "the other is kept");
    assert!(records.iter().any(|r| r.id() == id(3)));

    // Every version goes in the first push of an account, not only the outbox.
    assert_eq!(store.all_versions().await.unwrap().len(), 4);

    // The same round again (a reload before the answer was seen): nothing changes.
    let again = store.take_sync(&pulled, &keys, &mark, 3_000).await.unwrap();
    assert_eq!(again.changed, 0);
    assert_eq!(store.outbox().await.unwrap().len(), 1);
    store.close();
}

#[wasm_bindgen_test]
async fn a_sync_round_on_an_empty_phone_leaves_it_writable() {
    let store = fresh().await;
    let mark = SyncMark {
        user: "u1".into(),
        cursor: 0,
        seeded: true,
    };
    assert!(
        store.tie_to("u1", false).await.unwrap(),
        "an empty phone is tied at once"
    );
    store.take_sync(&[], &[], &mark, 1_000).await.unwrap();
    store
        .edit(vec![(id(1), Kind::PlanItem, text("first"))], 2_000)
        .await
        .unwrap();
    assert_eq!(store.outbox().await.unwrap().len(), 1);
    store.close();
}

fn mark(user: &str, seeded: bool) -> SyncMark {
    SyncMark {
        user: user.into(),
        cursor: 7,
        seeded,
    }
}

#[wasm_bindgen_test]
async fn data_never_tied_to_an_account_is_sent_only_once_the_user_chose_to_keep_it() {
    let store = fresh().await;
    store
        .edit(
            vec![
                (id(1), Kind::PlanItem, text("a's first")),
                (id(2), Kind::PlanItem, text("a's second")),
            ],
            1_000,
        )
        .await
        .unwrap();
    assert_eq!(
        store.holding().await.unwrap(),
        Holding {
            owner: None,
            records: 2,
            unsent: 2
        }
    );
    // Nobody chose: no account may take it.
    assert!(!store.tie_to("a", false).await.unwrap());
    assert_eq!(store.to_push("a", false).await.err(), Some(StoreError::NotOwner));
    assert_eq!(
        store.take_sync(&[], &[], &mark("a", true), 2_000).await.err(),
        Some(StoreError::NotOwner)
    );
    assert_eq!(
        store.meta::<SyncMark>(SYNC_KEY).await.unwrap(),
        None,
        "nothing written"
    );

    // A keeps it: everything goes to A's account, and to no one else's.
    assert!(store.tie_to("a", true).await.unwrap());
    let (rows, acks) = store.to_push("a", false).await.unwrap();
    assert_eq!((rows.len(), acks.len()), (2, 2));
    assert!(
        !store.tie_to("b", true).await.unwrap(),
        "another account cannot take it"
    );
    assert_eq!(store.to_push("b", false).await.err(), Some(StoreError::NotOwner));
    assert_eq!(store.to_push("b", true).await.err(), Some(StoreError::NotOwner));
    store.close();
}

#[wasm_bindgen_test]
async fn another_account_can_neither_send_nor_receive_on_a_phone_that_synced() {
    let store = fresh().await;
    store
        .edit(vec![(id(1), Kind::PlanItem, text("a's"))], 1_000)
        .await
        .unwrap();
    // A phone that synced before owners were recorded: the sync mark's account owns it.
    store.set_meta(SYNC_KEY, &mark("a", true)).await.unwrap();
    assert_eq!(store.owner().await.unwrap().as_deref(), Some("a"));
    assert_eq!(
        store.holding().await.unwrap().unsent,
        1,
        "the outbox, once synced"
    );
    assert_eq!(store.to_push("a", true).await.unwrap().0.len(), 1);

    // B logs in on the same phone: nothing of A's is sent, nothing of B's is taken in.
    assert!(!store.tie_to("b", true).await.unwrap());
    assert_eq!(store.to_push("b", false).await.err(), Some(StoreError::NotOwner));
    let bs = Incoming {
        id: id(9),
        kind: Kind::PlanItem,
        version: Version::new(
            Hlc {
                wall_ms: 5_000,
                counter: 0,
                device: DeviceId::parse("bphone").unwrap(),
            },
            text("b's").unwrap(),
        ),
    };
    assert_eq!(
        store.take_sync(&[bs], &[], &mark("b", false), 6_000).await.err(),
        Some(StoreError::NotOwner)
    );
    assert_eq!(store.records().await.unwrap().records.len(), 1);
    assert_eq!(
        store.meta::<SyncMark>(SYNC_KEY).await.unwrap(),
        Some(mark("a", true))
    );
    store.close();
}

#[wasm_bindgen_test]
async fn clearing_the_phone_removes_everything_of_the_user_and_keeps_the_device() {
    let store = fresh().await;
    let device = store.device().clone();
    store
        .edit(
            vec![
                (id(1), Kind::PlanItem, text("a's")),
                (id(2), Kind::PlanItem, text("a's too")),
            ],
            1_000,
        )
        .await
        .unwrap();
    store
        .edit(vec![(id(2), Kind::PlanItem, None)], 2_000)
        .await
        .unwrap();
    assert!(store.tie_to("a", true).await.unwrap());
    store.set_meta(SYNC_KEY, &mark("a", true)).await.unwrap();
    store.set_meta("conflicts", &vec![id(1)]).await.unwrap();
    store
        .set_meta("shared", &("a".to_owned(), vec![1, 2]))
        .await
        .unwrap();

    // Start empty for B: nothing of A's is left, and the phone is B's.
    store.clear_all(Some("b")).await.unwrap();
    assert_eq!(
        store.holding().await.unwrap(),
        Holding {
            owner: Some("b".into()),
            records: 0,
            unsent: 0
        }
    );
    assert!(store.records().await.unwrap().records.is_empty());
    assert!(store.all_versions().await.unwrap().is_empty());
    assert!(store.outbox().await.unwrap().is_empty());
    assert_eq!(store.meta::<SyncMark>(SYNC_KEY).await.unwrap(), None);
    assert_eq!(store.meta::<Vec<RecordId>>("conflicts").await.unwrap(), None);
    assert_eq!(store.meta::<serde_json::Value>("shared").await.unwrap(), None);
    assert_eq!(store.to_push("b", false).await.unwrap().0.len(), 0);
    assert_eq!(store.to_push("a", false).await.err(), Some(StoreError::NotOwner));

    // Log out and remove everything: tied to nobody; the device id and clock stay.
    store
        .edit(vec![(id(3), Kind::PlanItem, text("b's"))], 3_000)
        .await
        .unwrap();
    store.clear_all(None).await.unwrap();
    assert_eq!(store.holding().await.unwrap(), Holding::default());
    store.close();
    let store = Store::open().await.unwrap();
    assert_eq!(store.device(), &device, "the same phone");
    store
        .edit(vec![(id(4), Kind::PlanItem, text("new"))], 500)
        .await
        .unwrap();
    let after = store.records().await.unwrap().records;
    assert!(
        after[0].current().hlc.wall_ms >= 3_000,
        "the clock kept going: a new edit never sorts before an old one"
    );

    // An empty phone is tied to the first account that syncs it.
    store.clear_all(None).await.unwrap();
    assert!(store.tie_to("c", false).await.unwrap());
    store.release().await.unwrap();
    assert_eq!(store.owner().await.unwrap(), None, "a deleted account lets go");
    store.close();
}
