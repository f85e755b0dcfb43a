//! The crisis screen's own small wasm module.
//!
//! A first visit straight to `/krise` (a bookmark, the home-screen shortcut, a link a helper
//! sent) must answer before anything else, on a slow phone with one bar of signal. The
//! emergency numbers are plain links in the server-rendered HTML and work with no script at
//! all; what needs the phone is the user's own part: what I can do myself, my contacts and
//! how I want to be met, read from IndexedDB. This module does only that, with the app's own
//! plan model and texts, and none of the app's framework, router, pages or store.
//!
//! The boot script (`app/src/ui/crisis_boot.js`) reads the phone's records from IndexedDB
//! while this module loads and hands them to [`start`]; [`records`] builds the plan from them
//! with the app's model. The boot script loads the whole app instead when the user chose
//! another language than bokmål, and on the language switch.
//!
//! It writes the same markup as `app::ui::crisis` (the Leptos page the app shows when the
//! crisis button is tapped inside the running app); `end2end/tests/crisis.test.mjs` checks
//! both ways in.

use app::i18n::Key;
use app::model::lang::Lang;
use app::model::plan::{ContactView, DefaultSection, Plan};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

mod records;

/// Only bokmål comes this way (see the module docs).
const LANG: Lang = Lang::Nb;

/// Shows the user's own help below the numbers, from the records the boot script read
/// (`null` when there is no database or no storage, in private mode say: the numbers are
/// there regardless); then marks the page as live (`data-hydrated`, the `tillit:hydrated`
/// mark), as the app does.
#[wasm_bindgen]
pub fn start(rows: JsValue) {
    app::perf::mark("wasm-start");
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    contact_me(&document);
    show(&document, &records::plan(&rows));
    if let Some(body) = document.body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
    app::perf::mark("hydrated");
}

fn show(document: &Document, plan: &Plan) {
    // After the intro and Kontakt meg, as the app's page has them.
    let find = |selector: &str| document.query_selector(selector).ok().flatten();
    let Some(anchor) = find(".crisis-contact-me").or_else(|| find(".crisis-after-numbers")) else {
        return;
    };
    let sections = [
        steps(
            document,
            plan,
            DefaultSection::SelfHelp,
            Key::CrisisSelfHelpTitle,
            "crisis-self-help",
        ),
        contacts(document, &plan.contacts),
        steps(
            document,
            plan,
            DefaultSection::HowToMeetMe,
            Key::CrisisMeetMeTitle,
            "crisis-meet-me",
        ),
    ];
    // Inserted after one another, in this order, right after the intro.
    let mut after = anchor;
    for section in sections.into_iter().flatten() {
        let _ = after.after_with_node_1(&section);
        after = section;
    }
}

/// *Kontakt meg*: the server renders it hidden (`app::ui::crisis::ContactMe`); shown when
/// the signed-in user has a trusted person to ask.
fn contact_me(document: &Document) {
    if app::local::prefs::can_ask_for_contact() {
        if let Some(p) = document.query_selector(".crisis-contact-me").ok().flatten() {
            let _ = p.remove_attribute("hidden");
        }
    }
}

fn element(document: &Document, tag: &str, class: Option<&str>) -> Element {
    let element = document.create_element(tag).expect("a known tag");
    if let Some(class) = class {
        element.set_class_name(class);
    }
    element
}

/// `<tag class>text</tag>`, the text as text (never as HTML: it is what the user wrote).
fn text(document: &Document, tag: &str, class: Option<&str>, content: &str) -> Element {
    let element = element(document, tag, class);
    element.set_text_content(Some(content));
    element
}

/// A section with its heading, as `app::ui::crisis` renders it.
fn section(document: &Document, class: &str, title: Key) -> (Element, Element) {
    let heading = format!("{class}-title");
    let section = element(document, "section", Some(class));
    let _ = section.set_attribute("aria-labelledby", &heading);
    let h2 = text(document, "h2", None, title.text(LANG));
    h2.set_id(&heading);
    let _ = section.append_child(&h2);
    (section, h2)
}

fn steps(
    document: &Document,
    plan: &Plan,
    which: DefaultSection,
    title: Key,
    class: &str,
) -> Option<Element> {
    let items = &plan.section(which.record_id()).filter(|s| !s.body.hidden)?.items;
    if items.is_empty() {
        return None;
    }
    let (section, _) = section(document, class, title);
    let list = element(document, "ul", Some("crisis-steps"));
    for item in items {
        let _ = list.append_child(&text(document, "li", None, item.body.text.as_str()));
    }
    let _ = section.append_child(&list);
    Some(section)
}

fn contacts(document: &Document, contacts: &[ContactView]) -> Option<Element> {
    if contacts.is_empty() {
        return None;
    }
    let (section, _) = section(document, "crisis-contacts", Key::CrisisContactsTitle);
    let list = element(document, "ul", Some("contacts"));
    for contact in contacts {
        let name = contact.body.name.as_str();
        let li = element(document, "li", Some("contact"));
        let _ = li.append_child(&text(document, "p", Some("contact-name"), name));
        let _ = li.append_child(&text(
            document,
            "p",
            Some("contact-relation"),
            contact.body.relation.as_str(),
        ));
        // As `app::ui::plan::contact::CallLinks`.
        for phone in &contact.body.phones {
            let display = phone.display();
            let links = element(document, "span", Some("call-links"));
            let call = element(document, "a", Some("call"));
            let _ = call.set_attribute("href", &phone.tel_href());
            call.set_text_content(Some(&format!("{} {display}", Key::Call.text(LANG))));
            let _ = call.append_child(&text(
                document,
                "span",
                Some("visually-hidden"),
                &format!(" ({name})"),
            ));
            let _ = links.append_child(&call);
            if !phone.is_short() {
                let sms = element(document, "a", Some("sms"));
                let _ = sms.set_attribute("href", &phone.sms_href());
                sms.set_text_content(Some(Key::ContactSms.text(LANG)));
                let _ = sms.append_child(&text(
                    document,
                    "span",
                    Some("visually-hidden"),
                    &format!(" {name}, {display}"),
                ));
                let _ = links.append_child(&sms);
            }
            let _ = li.append_child(&links);
        }
        let _ = list.append_child(&li);
    }
    let _ = section.append_child(&list);
    Some(section)
}
