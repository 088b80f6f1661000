//! A line chart drawn with plotters on a canvas: sharp on HiDPI screens
//! (drawn in device pixels), themed from CSS custom properties (light and
//! dark), redrawn without flicker when its data or size changes, inside a
//! `<figure>` with a caption, a text summary and a data table.

use leptos::prelude::*;
use mqtt_lab_core::format;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Colour roles; the actual colours come from the stylesheet.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tone {
    Primary,
    Secondary,
    Warning,
    Danger,
    Muted,
}

impl Tone {
    fn css_var(self) -> &'static str {
        match self {
            Tone::Primary => "--chart-1",
            Tone::Secondary => "--chart-2",
            Tone::Warning => "--chart-3",
            Tone::Danger => "--chart-4",
            Tone::Muted => "--chart-muted",
        }
    }
}

#[derive(Clone, PartialEq, Debug)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub tone: Tone,
    /// Drawn thin and translucent, for comparison.
    pub faint: bool,
}

/// A horizontal reference line (a limit, a threshold).
#[derive(Clone, PartialEq, Debug)]
pub struct HLine {
    pub y: f64,
    pub label: String,
    pub tone: Tone,
}

/// A marked point (the current input).
#[derive(Clone, PartialEq, Debug)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

#[derive(Clone, PartialEq, Debug, Default)]
pub struct LineChart {
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    pub hlines: Vec<HLine>,
    pub markers: Vec<Marker>,
}

/// The data table that is the chart's text alternative.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[component]
pub fn Chart(
    /// Visible caption under the chart.
    caption: &'static str,
    /// One-sentence text summary (the canvas's accessible name).
    #[prop(into)]
    summary: Signal<String>,
    #[prop(into)] chart: Signal<LineChart>,
    #[prop(into)] table: Signal<Table>,
) -> impl IntoView {
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    // The canvas's CSS size, from the ResizeObserver: reading it in the draw
    // would force a layout right after the outputs changed.
    let size = RwSignal::new((0.0f64, 0.0f64));
    // Bumped when the colour scheme changes, so the chart is redrawn with the new theme.
    let theme = RwSignal::new(0u32);
    let frame_pending = StoredValue::new(false);

    // Draw at most once per animation frame, with the data current at that frame.
    Effect::new(move || {
        chart.track();
        theme.track();
        let (w, h) = size.get();
        if w <= 0.0 || frame_pending.get_value() {
            return;
        }
        frame_pending.set_value(true);
        let callback = Closure::once_into_js(move || {
            frame_pending.set_value(false);
            if let Some(canvas) = canvas_ref.get_untracked() {
                chart.with_untracked(|spec| draw(&canvas, spec, w, h));
            }
        });
        if window()
            .request_animation_frame(callback.unchecked_ref())
            .is_err()
        {
            frame_pending.set_value(false);
        }
    });

    Effect::new(move || {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Some(entry) = entries.get(0).dyn_ref::<web_sys::ResizeObserverEntry>() {
                let rect = entry.content_rect();
                size.set((rect.width(), rect.height()));
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&canvas);
            on_cleanup(move || observer.disconnect());
        }
        on_resize.forget();
        if let Ok(Some(query)) = window().match_media("(prefers-color-scheme: dark)") {
            let on_change =
                Closure::<dyn FnMut()>::new(move || theme.update(|n| *n = n.wrapping_add(1)));
            let _ = query
                .add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
            on_change.forget();
        }
    });

    let rows = move || {
        table.with(|t| {
            t.rows
                .iter()
                .map(|r| view! { <tr>{r.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> })
                .collect_view()
        })
    };
    let headers = move || {
        table.with(|t| {
            t.headers
                .iter()
                .map(|h| view! { <th scope="col">{h.clone()}</th> })
                .collect_view()
        })
    };
    view! {
        <figure class="chart">
            <canvas node_ref=canvas_ref role="img" aria-label=move || summary.get()></canvas>
            <figcaption>{caption} " " <span class="chart-summary">{move || summary.get()}</span></figcaption>
            <details class="chart-data">
                <summary>"Data table"</summary>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Chart data">
                    <table>
                        <thead><tr>{headers}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

fn css_color(style: &web_sys::CssStyleDeclaration, var: &str, fallback: RGBColor) -> RGBColor {
    let value = style.get_property_value(var).unwrap_or_default();
    let hex = value.trim().trim_start_matches('#');
    if hex.len() != 6 {
        return fallback;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    match (channel(0), channel(2), channel(4)) {
        (Some(r), Some(g), Some(b)) => RGBColor(r, g, b),
        _ => fallback,
    }
}

/// Bounds of everything drawn, with the y axis from 0 and some headroom.
fn bounds(spec: &LineChart) -> (f64, f64, f64, f64) {
    let xs = spec
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .chain(spec.markers.iter().map(|m| m.x))
        .filter(|v| v.is_finite());
    let (mut x0, mut x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let ys = spec
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(spec.hlines.iter().map(|h| h.y))
        .chain(spec.markers.iter().map(|m| m.y))
        .filter(|v| v.is_finite());
    let y1 = ys.fold(0.0f64, f64::max);
    if !x0.is_finite() || !x1.is_finite() {
        (x0, x1) = (0.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    let y1 = if y1 <= 0.0 { 1.0 } else { y1 * 1.08 };
    (x0, x1, 0.0, y1)
}

fn tick_label(v: f64, span: f64) -> String {
    format::number(v, if span < 10.0 { 2 } else { 0 })
}

fn draw(canvas: &web_sys::HtmlCanvasElement, spec: &LineChart, css_w: f64, css_h: f64) {
    let dpr = window().device_pixel_ratio().clamp(1.0, 4.0);
    let (css_w, css_h) = (css_w.max(200.0), css_h.max(160.0));
    let (px_w, px_h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    // Resizing the backing store clears and reallocates it: only when needed.
    if canvas.width() != px_w || canvas.height() != px_h {
        canvas.set_width(px_w);
        canvas.set_height(px_h);
    }
    let Ok(Some(style)) = window().get_computed_style(canvas) else {
        return;
    };
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let px = |v: f64| (v * dpr).round() as u32;
    let fg = css_color(&style, "--chart-fg", RGBColor(30, 30, 30));
    let grid = css_color(&style, "--chart-grid", RGBColor(220, 220, 220));
    let bg = css_color(&style, "--chart-bg", RGBColor(255, 255, 255));
    let root = backend.into_drawing_area();
    let _ = root.fill(&bg);
    let (x0, x1, y0, y1) = bounds(spec);
    let font = |size: f64| ("sans-serif", size * dpr).into_font().color(&fg);
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin(px(12.0))
        .margin_right(px(28.0))
        .x_label_area_size(px(40.0))
        .y_label_area_size(px(if css_w < 420.0 { 48.0 } else { 64.0 }))
        .build_cartesian_2d(x0..x1, y0..y1)
    else {
        return;
    };
    let (xspan, yspan) = (x1 - x0, y1 - y0);
    let _ = chart
        .configure_mesh()
        .x_desc(spec.x_label.as_str())
        .y_desc(spec.y_label.as_str())
        .x_labels(if css_w < 420.0 { 4 } else { 8 })
        .y_labels(6)
        .label_style(font(12.0))
        .axis_desc_style(font(12.0))
        .x_label_formatter(&|v| tick_label(*v, xspan))
        .y_label_formatter(&|v| tick_label(*v, yspan))
        .max_light_lines(1)
        .light_line_style(grid.mix(0.4))
        .bold_line_style(grid)
        .axis_style(fg.mix(0.8))
        .draw();

    for series in &spec.series {
        let colour = css_color(&style, series.tone.css_var(), fg);
        let (alpha, width) = if series.faint {
            (0.35, 1.5)
        } else {
            (1.0, 2.5)
        };
        let line_style = colour.mix(alpha).stroke_width(px(width));
        let points = series
            .points
            .iter()
            .copied()
            .filter(|(x, y)| x.is_finite() && y.is_finite());
        if let Ok(drawn) = chart.draw_series(LineSeries::new(points, line_style)) {
            drawn.label(series.name.clone()).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + (20.0 * dpr) as i32, y)], line_style)
            });
        }
    }
    for line in &spec.hlines {
        let colour = css_color(&style, line.tone.css_var(), fg);
        let _ = chart.draw_series(std::iter::once(PathElement::new(
            vec![(x0, line.y), (x1, line.y)],
            colour.stroke_width(px(1.5)),
        )));
        let _ = chart.draw_series(std::iter::once(Text::new(
            line.label.clone(),
            (x0 + xspan * 0.01, line.y + yspan * 0.015),
            font(11.0).color(&colour),
        )));
    }
    for marker in &spec.markers {
        let accent = css_color(&style, Tone::Danger.css_var(), fg);
        let _ = chart.draw_series(std::iter::once(Circle::new(
            (marker.x, marker.y),
            px(5.0),
            accent.filled(),
        )));
        let _ = chart.draw_series(std::iter::once(Text::new(
            marker.label.clone(),
            (marker.x + xspan * 0.015, marker.y - yspan * 0.02),
            font(11.0),
        )));
    }
    if !spec.series.is_empty() {
        let _ = chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(bg.mix(0.85))
            .border_style(grid)
            .label_font(font(12.0))
            .draw();
    }
    let _ = root.present();
}
