//! A small line chart of dated values (ratings 1–10, checklist scores 0–100), drawn as SVG.
//!
//! The chart is a picture for those who see it; it is always shown with a table of the same
//! numbers, which is what screen readers read (the SVG carries a one-line summary).

use crate::model::date::Date;
use crate::ui::later_view::DrawnEach;
use leptos::prelude::*;

/// One line: its points (sorted by date) and the CSS class that styles it (colour and dash,
/// so lines differ by more than colour).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub points: Vec<(Date, u8)>,
    pub class: &'static str,
}

const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 110.0;
const LEFT: f64 = 28.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;

/// `summary` is what a screen reader hears for the picture; the table beside it has the rest.
#[component]
pub fn TrendChart(lines: Vec<Line>, min: u8, max: u8, summary: String) -> impl IntoView {
    let days: Vec<i64> = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|(d, _)| d.days_since_epoch()))
        .collect();
    let first = days.iter().copied().min().unwrap_or(0);
    let last = days.iter().copied().max().unwrap_or(0);
    let first_date = lines.iter().filter_map(|l| l.points.first().map(|p| p.0)).min();
    let last_date = lines.iter().filter_map(|l| l.points.last().map(|p| p.0)).max();
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = move |date: Date| {
        if last == first {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * (date.days_since_epoch() - first) as f64 / (last - first) as f64
        }
    };
    let span = f64::from(max.saturating_sub(min).max(1));
    let y = move |value: u8| TOP + plot_h * (1.0 - f64::from(value.saturating_sub(min)) / span);
    let drawn = lines
        .into_iter()
        .map(|line| {
            let points: Vec<(f64, f64)> = line.points.iter().map(|(d, v)| (x(*d), y(*v))).collect();
            let path = points
                .iter()
                .map(|(px, py)| format!("{px:.1},{py:.1}"))
                .collect::<Vec<_>>()
                .join(" ");
            let dots = points
                .into_iter()
                .map(|(cx, cy)| view! { <circle cx=format!("{cx:.1}") cy=format!("{cy:.1}") r="3" /> })
                .drawn_each();
            view! {
                <g class=format!("trend-line {}", line.class)>
                    <polyline points=path fill="none" />
                    {dots}
                </g>
            }
        })
        .drawn_each();
    let axis_bottom = format!("{:.1}", TOP + plot_h);
    view! {
        <svg
            class="trend"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            aria-label=summary
            focusable="false"
        >
            <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=axis_bottom.clone() />
            <line class="axis" x1=LEFT y1=axis_bottom.clone() x2=WIDTH - RIGHT y2=axis_bottom.clone() />
            <text class="tick" x=LEFT - 4.0 y=TOP + 4.0 text-anchor="end">{max}</text>
            <text class="tick" x=LEFT - 4.0 y=TOP + plot_h text-anchor="end">{min}</text>
            {first_date.map(|d| view! {
                <text class="tick" x=LEFT y=HEIGHT - 6.0 text-anchor="start">{d.display_nb()}</text>
            })}
            {last_date.filter(|d| Some(*d) != first_date).map(|d| view! {
                <text class="tick" x=WIDTH - RIGHT y=HEIGHT - 6.0 text-anchor="end">{d.display_nb()}</text>
            })}
            {drawn}
        </svg>
    }
}
