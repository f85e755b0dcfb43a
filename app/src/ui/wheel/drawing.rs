//! The wheel as a drawing: one segment per visible area, its name around the rim, and in each
//! chosen segment a fill whose length is the latest *hvordan det går* (performance) score,
//! with the number. The caption says in words what it shows (the chosen areas and their
//! latest scores), so the drawing itself is hidden from screen readers; the list of areas
//! below it holds everything in text.
//!
//! The labels follow the user's text size: measured after mounting (the server draws at
//! the default size, so the HTML matches), they grow with it and the drawing's frame grows
//! to hold them, so nothing is cut off on a narrow phone. With large text (from 150 %) the
//! names no longer fit around a phone-sized wheel without running into each other: the
//! segments are numbered instead, and a key under the drawing names them, in text that
//! reflows like the rest of the page.

use super::messages::area_name;
use super::state::use_wheel;
use crate::i18n::{tr, use_i18n, WheelKey};
use crate::model::wheel::{Scale, Wheel};
use crate::ui::later_view::{shown, Drawn, DrawnEach};
use leptos::prelude::*;

const RADIUS: f64 = 92.0;
const LABEL_RADIUS: f64 = 100.0;
/// Characters per label line at the default text size: about what fits beside the wheel.
const LINE_CHARS: f64 = 13.0;
/// A letter's width against its height, generously (so the frame never cuts one off).
const LETTER_WIDTH: f64 = 0.62;
/// From this text size on (against the default) segments are numbered, with a key below.
const LARGE_TEXT: f64 = 1.5;

/// One segment, ready to draw.
#[derive(Clone, Debug, PartialEq)]
struct Segment {
    name: String,
    chosen: bool,
    performance: Option<u8>,
}

/// A point on a circle of `radius` at `angle` (radians, 0 = straight up, clockwise).
fn at(radius: f64, angle: f64) -> (f64, f64) {
    (radius * angle.sin(), -radius * angle.cos())
}

/// The SVG path of a wedge from `a0` to `a1` out to `radius`.
fn wedge(radius: f64, a0: f64, a1: f64) -> String {
    let (x0, y0) = at(radius, a0);
    let (x1, y1) = at(radius, a1);
    let large = if a1 - a0 > std::f64::consts::PI { 1 } else { 0 };
    format!("M0,0 L{x0:.2},{y0:.2} A{radius:.2},{radius:.2} 0 {large} 1 {x1:.2},{y1:.2} Z")
}

/// Splits a name into lines of about `width` characters, at spaces and slashes; at most three.
fn label_lines(name: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in name.split_inclusive([' ', '/']) {
        if !line.is_empty() && line.chars().count() + word.trim_end().chars().count() > width {
            lines.push(line.trim_end().to_owned());
            line = String::new();
        }
        line.push_str(word);
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2].push('…');
    }
    lines
}

#[component]
pub fn WheelDrawing() -> impl IntoView {
    let state = use_wheel();
    let lang = use_i18n().lang;
    let segments = Memo::new(move |_| {
        let lang = lang.get();
        state.wheel.with(|wheel| {
            wheel
                .as_ref()
                .map(|w: &Wheel| {
                    w.visible_areas()
                        .map(|a| Segment {
                            name: area_name(&a.body, lang),
                            chosen: a.body.chosen,
                            performance: a.latest(Scale::Performance).map(|s| s.get()),
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // The user's text size against the default 16 px, from an invisible 1rem box.
    let probe = NodeRef::<leptos::html::Span>::new();
    let scale = RwSignal::new(1.0_f64);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(probe) = probe.get() {
            let px = f64::from(probe.offset_height());
            if px > 0.0 {
                scale.set((px / 16.0).clamp(1.0, 3.0));
            }
        }
    });
    let summary = move || {
        let lang = lang.get();
        let parts: Vec<String> = segments.with(|segments| {
            segments
                .iter()
                .filter(|s| s.chosen)
                .map(|s| match s.performance {
                    Some(p) => format!("{}: {p}/10", s.name),
                    None => format!("{}: {}", s.name, WheelKey::WheelNotRated.text(lang)),
                })
                .collect()
        });
        if parts.is_empty() {
            WheelKey::WheelDrawingNoneChosen.text(lang).to_owned()
        } else {
            format!(
                "{} {}",
                WheelKey::WheelDrawingSummary.text(lang),
                parts.join("; ")
            )
        }
    };
    // The frame around the wheel and its labels: grown by each label as it is drawn.
    let frame = RwSignal::new((-184.0_f64, -154.0_f64, 184.0_f64, 154.0_f64));
    let drawn = move || {
        let scale = scale.get();
        segments.with(|segments| {
            let n = segments.len().max(1) as f64;
            let step = std::f64::consts::TAU / n;
            let font = (if segments.len() > 16 { 8.0 } else { 10.5 }) * scale;
            let width = (LINE_CHARS / scale).round().max(6.0) as usize;
            let numbered = scale >= LARGE_TEXT;
            let mut bounds = (-RADIUS - 10.0, -RADIUS - 10.0, RADIUS + 10.0, RADIUS + 10.0);
            let drawn = segments
                .iter()
                .enumerate()
                .map(|(i, segment)| {
                    let (a0, a1) = (i as f64 * step, (i as f64 + 1.0) * step);
                    let mid = (a0 + a1) / 2.0;
                    let fill = segment.performance.filter(|_| segment.chosen).map(|p| {
                        let r = RADIUS * f64::from(p) / 10.0;
                        // Inside the fill when it is long enough to hold the number, else
                        // just beyond its end, in the text colour.
                        let inside = p >= 4;
                        let (nx, ny) = at(if inside { r - 12.0 } else { r + 9.0 }, mid);
                        view! {
                            <path class="segment-fill" d=wedge(r, a0, a1) />
                            <text
                                class="segment-score"
                                class:outside=!inside
                                font-size=format!("{:.1}", 11.0 * scale)
                                x=format!("{nx:.1}")
                                y=format!("{:.1}", ny + 4.0)
                                text-anchor="middle"
                            >
                                {p}
                            </text>
                        }
                    });
                    let (lx, ly) = at(LABEL_RADIUS, mid);
                    // Labels on the right read from the rim outwards, on the left towards it.
                    let anchor = if mid.sin() > 0.15 {
                        "start"
                    } else if mid.sin() < -0.15 {
                        "end"
                    } else {
                        "middle"
                    };
                    let lines = if numbered {
                        vec![(i + 1).to_string()]
                    } else {
                        label_lines(&segment.name, width)
                    };
                    let count = lines.len() as f64;
                    // Above the centre the block grows upwards, below it downwards.
                    let first_y = if mid.cos() > 0.0 { ly - (count - 1.0) * font } else { ly + font * 0.8 };
                    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
                    let wide = longest * LETTER_WIDTH * font;
                    let (left, right) = match anchor {
                        "start" => (lx, lx + wide),
                        "end" => (lx - wide, lx),
                        _ => (lx - wide / 2.0, lx + wide / 2.0),
                    };
                    bounds = (
                        bounds.0.min(left),
                        bounds.1.min(first_y - font),
                        bounds.2.max(right),
                        bounds.3.max(first_y + (count - 1.0) * font + font * 0.4),
                    );
                    let tspans = lines
                        .into_iter()
                        .enumerate()
                        .map(|(k, line)| {
                            view! { <tspan x=format!("{lx:.1}") y=format!("{:.1}", first_y + k as f64 * font)>{line}</tspan> }
                        })
                        .drawn_each();
                    view! {
                        <g class="segment" class:is-chosen=segment.chosen>
                            <path class="segment-bg" d=wedge(RADIUS, a0, a1) />
                            {fill}
                            <text class="segment-label" text-anchor=anchor font-size=format!("{font:.1}")>{tspans}</text>
                        </g>
                    }
                })
                .drawn_each();
            // Symmetric, so the wheel stays in the middle; at least the default frame.
            let half_w = bounds.0.abs().max(bounds.2).max(180.0) + 4.0;
            let half_h = bounds.1.abs().max(bounds.3).max(150.0) + 4.0;
            frame.set((-half_w, -half_h, half_w, half_h));
            drawn
        })
    };
    let view_box = move || {
        let (x0, y0, x1, y1) = frame.get();
        format!("{x0:.0} {y0:.0} {:.0} {:.0}", x1 - x0, y1 - y0)
    };
    view! {
        <figure class="wheel-figure">
            <span class="text-size-probe" node_ref=probe aria-hidden="true"></span>
            // Said in words in the caption; the picture adds nothing a screen reader can use.
            <svg class="wheel" viewBox=view_box aria-hidden="true" focusable="false">
                {drawn}
                <circle class="wheel-rim" cx="0" cy="0" r=RADIUS fill="none" />
            </svg>
            {shown(move || { scale.get() >= LARGE_TEXT }, move || view! {
                // A key to the numbers only: the areas are listed in full below the drawing.
                <ol class="wheel-key" aria-hidden="true">
                    {move || segments.get().into_iter().map(|s| view! { <li>{s.name}</li> }).drawn_each()}
                </ol>
            }.drawn())}
            <figcaption>
                <p>{tr(WheelKey::WheelDrawingCaption)}</p>
                <p class="wheel-summary">{summary}</p>
            </figcaption>
        </figure>
    }
    .drawn()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_at_spaces_and_slashes_into_at_most_three_lines() {
        assert_eq!(label_lines("Bolig", 13), ["Bolig"]);
        assert_eq!(
            label_lines("Arbeid/skole/aktivitet", 13),
            ["Arbeid/skole/", "aktivitet"]
        );
        assert_eq!(
            label_lines("Familie og relasjoner", 13),
            ["Familie og", "relasjoner"]
        );
        // Large text: shorter lines, each word kept whole.
        assert_eq!(
            label_lines("Arbeid/skole/aktivitet", 7),
            ["Arbeid/", "skole/", "aktivitet"]
        );
        let long = label_lines(&"ord ".repeat(40), 13);
        assert_eq!(long.len(), 3);
        assert!(long[2].ends_with('…'));
    }

    #[test]
    fn wedges_start_at_the_centre_and_use_the_large_arc_only_past_half() {
        assert!(wedge(10.0, 0.0, 1.0).starts_with("M0,0 L0.00,-10.00 A10.00,10.00 0 0 1"));
        assert!(wedge(10.0, 0.0, 4.0).contains(" 0 1 1 "));
    }
}
