//! A line chart drawn with plotters on a canvas: sharp on HiDPI screens
//! (drawn in device pixels), themed from CSS custom properties (light and
//! dark), redrawn without flicker when its data or size changes, inside a
//! `<figure>` with a caption, a text summary and a data table.

use super::canvas::{css_font, Canvas};
use leptos::prelude::*;
use mqtt_lab_core::format;
use mqtt_lab_core::ink::Ink;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
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
    Extra,
}

impl Tone {
    fn css_var(self) -> &'static str {
        match self {
            Tone::Primary => "--chart-1",
            Tone::Secondary => "--chart-2",
            Tone::Warning => "--chart-3",
            Tone::Danger => "--chart-4",
            Tone::Muted => "--chart-muted",
            Tone::Extra => "--chart-5",
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
    /// The x values are the base-10 logarithms of what the axis shows: a
    /// log axis, ticked at the powers of ten (10, 100, 1,000).
    pub x_log10: bool,
    /// The same for y; the axis then runs between whole powers of ten.
    pub y_log10: bool,
}

/// The data table that is the chart's text alternative.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Something the chart component can draw.
pub trait Drawable: Clone + PartialEq + Send + Sync + 'static {
    fn draw(&self, area: &Area, theme: &Theme);
}

type Area = DrawingArea<Canvas, plotters::coord::Shift>;

/// plotters' f64 axis without its default tick format: every chart gives
/// its own formatter, and the default (plotters' `FloatPrettyPrinter`,
/// through `{}` of f64) would link Rust's float formatting into the page.
#[derive(Clone)]
struct Axis(RangedCoordf64);

impl Axis {
    fn new(range: std::ops::Range<f64>) -> Self {
        Self(range.into())
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.0.map(value, limit)
    }
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        self.0.key_points(hint)
    }
    fn range(&self) -> std::ops::Range<f64> {
        self.0.range()
    }
}

impl ValueFormatter<f64> for Axis {
    fn format(_: &f64) -> String {
        String::new()
    }
}

type Plane = Cartesian2d<Axis, Axis>;

/// The charts' font family: plotters draws with it, and the canvas measures
/// text in it (in the CSS font shorthand the canvas backend sets when drawing).
const FONT_FAMILY: &str = "sans-serif";

/// Colours read from the stylesheet, the device pixel ratio, and the
/// canvas's context for measuring text.
pub struct Theme {
    style: web_sys::CssStyleDeclaration,
    ctx: web_sys::CanvasRenderingContext2d,
    dpr: f64,
    css_w: f64,
    fg: RGBColor,
    grid: RGBColor,
    bg: RGBColor,
}

impl Theme {
    fn tone(&self, tone: Tone) -> RGBColor {
        css_color(&self.style, tone.css_var(), self.fg)
    }
    fn px(&self, v: f64) -> u32 {
        (v * self.dpr).round() as u32
    }
    fn font(&self, size: f64) -> TextStyle<'static> {
        (FONT_FAMILY, size * self.dpr).into_font().color(&self.fg)
    }
}

#[component]
pub fn Chart<C: Drawable>(
    /// Visible caption under the chart.
    caption: &'static str,
    /// One-sentence text summary (the canvas's accessible name).
    #[prop(into)]
    summary: Signal<String>,
    chart: Signal<C>,
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
        super::listen::observe_size(&canvas, move |w, h| size.set((w, h)));
        if let Ok(Some(query)) = window().match_media("(prefers-color-scheme: dark)") {
            super::listen::listen(&query, "change", move || {
                theme.update(|n| *n = n.wrapping_add(1))
            });
        }
        // Printing lays the page out anew (paper width, light colours) and
        // paints no animation frames: redraw at once for paper, and back.
        if let Ok(Some(query)) = window().match_media("print") {
            super::listen::listen(&query, "change", move || {
                if let Some(canvas) = canvas_ref.get_untracked() {
                    let rect = canvas.get_bounding_client_rect();
                    chart.with_untracked(|spec| draw(&canvas, spec, rect.width(), rect.height()));
                }
            });
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
    if !x0.is_finite() || !x1.is_finite() {
        (x0, x1) = (0.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    if spec.y_log10 {
        let (y0, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        if !y0.is_finite() || !y1.is_finite() {
            return (x0, x1, 0.0, 1.0);
        }
        return (x0, x1, y0.floor(), y1.ceil().max(y0.floor() + 1.0));
    }
    let y1 = ys.fold(0.0f64, f64::max);
    let y1 = if y1 <= 0.0 { 1.0 } else { y1 * 1.08 };
    (x0, x1, 0.0, y1)
}

/// How many labels an axis gets, and how a tick is written: on a log axis
/// (values are base-10 logarithms) at most as many as whole powers of ten fit
/// in the span, so that plotters steps by 1 (a step of 0.5 would need about
/// twice as many), each written as its power of ten.
fn axis_ticks(log10: bool, span: f64, linear: usize) -> (usize, impl Fn(&f64) -> String) {
    let count = if log10 {
        span.floor() as usize + 1
    } else {
        linear
    };
    (count, move |v: &f64| {
        if log10 {
            format::number(10f64.powf(*v), 0)
        } else {
            tick_label(*v, span)
        }
    })
}

fn tick_label(v: f64, span: f64) -> String {
    format::number(v, if span < 10.0 { 2 } else { 0 })
}

fn draw<C: Drawable>(canvas: &web_sys::HtmlCanvasElement, spec: &C, css_w: f64, css_h: f64) {
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
    let Some(backend) = Canvas::new(canvas.clone()) else {
        return;
    };
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let theme = Theme {
        ctx,
        fg: css_color(&style, "--chart-fg", RGBColor(30, 30, 30)),
        grid: css_color(&style, "--chart-grid", RGBColor(220, 220, 220)),
        bg: css_color(&style, "--chart-bg", RGBColor(255, 255, 255)),
        style,
        dpr,
        css_w,
    };
    let root = backend.into_drawing_area();
    let _ = root.fill(&theme.bg);
    spec.draw(&root, &theme);
    let _ = root.present();
}

/// The frame of a line chart; a [`Timeline`] uses the same, so that the
/// two share their time axis when drawn one above the other.
///
/// The y axis's label area fits `widest`, its widest tick label, with the
/// axis title beside it (at 100,000 devices, "100,000" ran into the title;
/// at 360 px the title was cut, issue 21).
fn line_layout<'a, 'b>(root: &'a Area, t: &Theme, widest: &str) -> ChartBuilder<'a, 'b, Canvas> {
    let mut b = ChartBuilder::on(root);
    b.margin(t.px(12.0))
        .margin_right(t.px(28.0))
        .x_label_area_size(t.px(40.0))
        .y_label_area_size(label_area(t, widest, true));
    b
}

/// Device pixels for a label area holding `widest` (and an axis title).
fn label_area(t: &Theme, widest: &str, titled: bool) -> u32 {
    let title = if titled { 12.0 * 1.4 + 6.0 } else { 0.0 };
    let least = if t.css_w < 420.0 { 40.0 } else { 56.0 };
    let wanted = text_width(t, widest, 12.0) / t.dpr + 10.0 + title;
    // Never more than 40 % of the chart's width.
    t.px(wanted.max(least).min(t.css_w * 0.4))
}

/// The grid and axes of a chart whose rows are named on the y axis (the
/// lanes of a [`Timeline`], the bars of a bar chart): one tick per row with
/// its name, the x axis's ticks and title.
fn row_mesh(
    chart: &mut ChartContext<'_, Canvas, Plane>,
    t: &Theme,
    x_label: &str,
    x1: f64,
    names: &[String],
) {
    let _ = chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(x_label)
        .x_labels(if t.css_w < 420.0 { 4 } else { 8 })
        .y_labels(names.len().max(1))
        .label_style(t.font(12.0))
        .axis_desc_style(t.font(12.0))
        .x_label_formatter(&|v| tick_label(*v, x1))
        .y_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 0.01 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .max_light_lines(1)
        .light_line_style(t.grid.mix(0.4))
        .bold_line_style(t.grid)
        .axis_style(t.fg.mix(0.8))
        .draw();
}

/// Events on lanes over time: a few devices' connection attempts, admitted
/// (a filled dot) or refused (a cross), on the same time axis as a line
/// chart drawn with [`line_layout`].
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Timeline {
    pub x_label: String,
    pub x_max: f64,
    pub lanes: Vec<String>,
    /// (time, lane, admitted)
    pub events: Vec<(f64, usize, bool)>,
}

impl Drawable for Timeline {
    fn draw(&self, root: &Area, t: &Theme) {
        let n = self.lanes.len().max(1) as f64;
        let x1 = if self.x_max > 0.0 { self.x_max } else { 1.0 };
        let widest = self
            .lanes
            .iter()
            .max_by_key(|l| l.chars().count())
            .map_or("", String::as_str);
        let Ok(mut chart) = line_layout(root, t, widest)
            .build_cartesian_2d(Axis::new(0.0..x1), Axis::new(-0.5..(n - 0.5)))
        else {
            return;
        };
        row_mesh(&mut chart, t, &self.x_label, x1, &self.lanes);
        let (ok, refused) = (t.tone(Tone::Primary), t.tone(Tone::Danger));
        let size = t.px(5.0);
        for &(x, lane, admitted) in self.events.iter().filter(|e| e.0 <= x1) {
            let at = (x, lane as f64);
            let _ = if admitted {
                chart.draw_series(std::iter::once(Circle::new(at, size, ok.filled())))
            } else {
                chart.draw_series(std::iter::once(Cross::new(
                    at,
                    size,
                    refused.stroke_width(t.px(2.0)),
                )))
            };
        }
    }
}

impl Drawable for LineChart {
    fn draw(&self, root: &Area, t: &Theme) {
        let spec = self;
        let (css_w, fg, grid) = (t.css_w, t.fg, t.grid);
        let px = |v: f64| t.px(v);
        let font = |size: f64| t.font(size);
        let (x0, x1, y0, y1) = bounds(spec);
        let (xspan, yspan) = (x1 - x0, y1 - y0);
        let (x_labels, x_tick) = axis_ticks(spec.x_log10, xspan, if css_w < 420.0 { 4 } else { 8 });
        let (y_labels, y_tick) = axis_ticks(spec.y_log10, yspan, 6);
        // The y label area is as wide as the label of the top tick.
        let Ok(mut chart) = line_layout(root, t, &y_tick(&y1))
            .build_cartesian_2d(Axis::new(x0..x1), Axis::new(y0..y1))
        else {
            return;
        };
        let _ = chart
            .configure_mesh()
            .x_desc(spec.x_label.as_str())
            .y_desc(spec.y_label.as_str())
            .x_labels(x_labels)
            .y_labels(y_labels)
            .label_style(font(12.0))
            .axis_desc_style(font(12.0))
            .x_label_formatter(&x_tick)
            .y_label_formatter(&y_tick)
            .max_light_lines(1)
            .light_line_style(grid.mix(0.4))
            .bold_line_style(grid)
            .axis_style(fg.mix(0.8))
            .draw();

        let mut ink = ink_over(root);
        for series in &spec.series {
            let line_style = series_style(t, series);
            let points: Vec<(f64, f64)> = series
                .points
                .iter()
                .copied()
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .collect();
            for pair in points.windows(2) {
                ink.line(chart.backend_coord(&pair[0]), chart.backend_coord(&pair[1]));
            }
            let _ = chart.draw_series(LineSeries::new(points, line_style));
        }
        for line in &spec.hlines {
            let colour = t.tone(line.tone);
            let _ = chart.draw_series(std::iter::once(PathElement::new(
                vec![(x0, line.y), (x1, line.y)],
                colour.stroke_width(px(1.5)),
            )));
            ink.line(
                chart.backend_coord(&(x0, line.y)),
                chart.backend_coord(&(x1, line.y)),
            );
            // Above the line at its right end.
            let (x, y) = chart.backend_coord(&(x1, line.y));
            let at = (x - t.px(6.0) as i32, y - t.px(5.0) as i32);
            ink.area(boxed_text(
                root,
                t,
                &line.label,
                at,
                (HPos::Right, VPos::Bottom),
                colour,
            ));
        }
        for marker in &spec.markers {
            let accent = t.tone(Tone::Danger);
            let _ = chart.draw_series(std::iter::once(Circle::new(
                (marker.x, marker.y),
                px(5.0),
                accent.filled(),
            )));
            // Below and right of the point, or above it near the x axis.
            let (x, y) = chart.backend_coord(&(marker.x, marker.y));
            let below = y + t.px(30.0) as i32 <= chart.backend_coord(&(x0, y0)).1;
            let (at, v) = if below {
                ((x + t.px(10.0) as i32, y + t.px(6.0) as i32), VPos::Top)
            } else {
                ((x + t.px(10.0) as i32, y - t.px(6.0) as i32), VPos::Bottom)
            };
            ink.line((x, y), (x, y));
            ink.area(boxed_text(
                root,
                t,
                &marker.label,
                at,
                (HPos::Left, v),
                t.fg,
            ));
        }
        let entries: Vec<(&str, Swatch)> = spec
            .series
            .iter()
            .map(|s| (s.name.as_str(), Swatch::Line(series_style(t, s))))
            .collect();
        legend(&chart.plotting_area().strip_coord_spec(), t, &entries, &ink);
    }
}

/// One bar of a stacked horizontal bar chart.
#[derive(Clone, PartialEq, Debug)]
pub struct BarRow {
    pub label: String,
    /// (name, value, colour) per segment, left to right.
    pub segments: Vec<(String, f64, Tone)>,
    /// Written after the bar (its value, say), or nothing.
    pub note: String,
}

/// Stacked horizontal bars with an optional vertical reference line.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct BarChart {
    pub x_label: String,
    pub rows: Vec<BarRow>,
    pub line: Option<(f64, String)>,
}

impl Drawable for BarChart {
    fn draw(&self, root: &Area, t: &Theme) {
        let n = self.rows.len().max(1) as f64;
        let widest = self
            .rows
            .iter()
            .map(|r| r.segments.iter().map(|s| s.1.max(0.0)).sum::<f64>())
            .chain(self.line.iter().map(|l| l.0))
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        // Room after the longest bar for its note.
        let room = if self.rows.iter().any(|r| !r.note.is_empty()) {
            1.3
        } else {
            1.08
        };
        let x1 = if widest > 0.0 { widest * room } else { 1.0 };
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        let Ok(mut chart) = ChartBuilder::on(root)
            .margin(t.px(12.0))
            .margin_right(t.px(28.0))
            .x_label_area_size(t.px(40.0))
            .y_label_area_size({
                let widest = labels.iter().max_by_key(|l| l.chars().count());
                label_area(t, widest.map_or("", String::as_str), false)
            })
            .build_cartesian_2d(Axis::new(0.0..x1), Axis::new(-0.5..(n - 0.5)))
        else {
            return;
        };
        row_mesh(&mut chart, t, &self.x_label, x1, &labels);
        let mut entries = Vec::new();
        let mut ink = ink_over(root);
        for (i, row) in self.rows.iter().enumerate() {
            let y = i as f64;
            let mut x = 0.0;
            for (name, value, tone) in &row.segments {
                let value = value.max(0.0);
                if !value.is_finite() || value == 0.0 {
                    continue;
                }
                let colour = t.tone(*tone);
                let corners = [(x, y - 0.32), (x + value, y + 0.32)];
                ink.area((
                    chart.backend_coord(&corners[0]),
                    chart.backend_coord(&corners[1]),
                ));
                let _ =
                    chart.draw_series(std::iter::once(Rectangle::new(corners, colour.filled())));
                if i == 0 {
                    entries.push((name.as_str(), Swatch::Block(colour)));
                }
                x += value;
            }
            if !row.note.is_empty() {
                let (bx, by) = chart.backend_coord(&(x, y));
                let at = (bx + t.px(6.0) as i32, by);
                let style = t.font(12.0).pos(Pos::new(HPos::Left, VPos::Center));
                let _ = root.draw(&Text::new(row.note.clone(), at, style));
                let w = text_width(t, &row.note, 12.0).ceil() as i32;
                ink.area((
                    (at.0, by - t.px(8.0) as i32),
                    (at.0 + w, by + t.px(8.0) as i32),
                ));
            }
        }
        if let Some((value, label)) = &self.line {
            let colour = t.tone(Tone::Danger);
            let _ = chart.draw_series(std::iter::once(PathElement::new(
                vec![(*value, -0.5), (*value, n - 0.5)],
                colour.stroke_width(t.px(2.0)),
            )));
            let (top, bottom) = (
                chart.backend_coord(&(*value, n - 0.5)),
                chart.backend_coord(&(*value, -0.5)),
            );
            ink.line(top, bottom);
            let at = (top.0 - t.px(6.0) as i32, top.1 + t.px(4.0) as i32);
            ink.area(boxed_text(
                root,
                t,
                label,
                at,
                (HPos::Right, VPos::Top),
                colour,
            ));
        }
        legend(&chart.plotting_area().strip_coord_spec(), t, &entries, &ink);
    }
}

/// An empty [`Ink`] over the whole canvas.
fn ink_over(root: &Area) -> Ink {
    let (w, h) = root.dim_in_pixel();
    Ink::new(w, h)
}

/// A series' line: thin and translucent when faint.
fn series_style(t: &Theme, series: &Series) -> ShapeStyle {
    let (alpha, width) = if series.faint {
        (0.6, 1.75)
    } else {
        (1.0, 2.5)
    };
    t.tone(series.tone).mix(alpha).stroke_width(t.px(width))
}

/// The width of `text` in the chart's font of `size` CSS pixels, measured
/// by the canvas.
fn text_width(t: &Theme, text: &str, size: f64) -> f64 {
    t.ctx
        .set_font(&css_font("normal", size * t.dpr, FONT_FAMILY));
    t.ctx.measure_text(text).map_or(0.0, |m| m.width())
}

/// A label on a translucent box of the background colour, so that a line
/// crossing it does not hide it; `at` is its corner named by `anchor`.
fn boxed_text(
    root: &Area,
    t: &Theme,
    text: &str,
    at: (i32, i32),
    anchor: (HPos, VPos),
    colour: RGBColor,
) -> ((i32, i32), (i32, i32)) {
    let (w, h, pad) = (
        text_width(t, text, 11.0).ceil() as i32,
        (11.0 * t.dpr * 1.2).round() as i32,
        t.px(2.0) as i32,
    );
    let x0 = if matches!(anchor.0, HPos::Right) {
        at.0 - w
    } else {
        at.0
    };
    let y0 = if matches!(anchor.1, VPos::Bottom) {
        at.1 - h
    } else {
        at.1
    };
    let rect = ((x0 - pad, y0 - pad), (x0 + w + pad, y0 + h + pad));
    backdrop(root, t, rect);
    let style = t
        .font(11.0)
        .color(&colour)
        .pos(Pos::new(anchor.0, anchor.1));
    let _ = root.draw(&Text::new(text.to_string(), at, style));
    rect
}

/// The translucent background box under a label or the legend.
fn backdrop(area: &Area, t: &Theme, (a, b): ((i32, i32), (i32, i32))) {
    let _ = area.draw(&Rectangle::new([a, b], t.bg.mix(0.85).filled()));
}

/// What a legend entry shows before its name.
enum Swatch {
    Line(ShapeStyle),
    Block(RGBColor),
}

/// A legend box, for two entries or more, in the corner of the plotting
/// area where it hides the least. Drawn here rather than by plotters, whose text measure in the
/// browser appends a span to the page and reads its offsetHeight: a
/// synchronous layout of the whole page in every redraw. The canvas
/// measures the names instead.
fn legend(area: &Area, t: &Theme, entries: &[(&str, Swatch)], ink: &Ink) {
    // One entry needs no key: the axis title and the caption name it.
    if entries.len() < 2 {
        return;
    }
    let size = 12.0 * t.dpr;
    let text_w = entries
        .iter()
        .map(|(name, _)| text_width(t, name, 12.0))
        .fold(0.0f64, f64::max);
    let blocks_only = entries.iter().all(|e| matches!(e.1, Swatch::Block(_)));
    let (margin, swatch_w, gap) = (
        t.px(8.0) as i32,
        t.px(if blocks_only { 8.0 } else { 20.0 }) as i32,
        t.px(8.0) as i32,
    );
    let line_h = (size * 1.25).round() as i32;
    let w = 2 * margin + swatch_w + gap + text_w.ceil() as i32;
    let h = 2 * margin + line_h * entries.len() as i32;
    let (aw, ah) = area.dim_in_pixel();
    let (aw, ah) = (aw.min(8192) as i32, ah.min(8192) as i32);
    let inset = t.px(5.0) as i32;
    let (bx, by) = area.get_base_pixel();
    // The corners (upper left, upper right, lower left, lower right), then
    // the middles of the top and bottom edges: the first that covers the
    // least of what is drawn.
    let places = [
        (inset, inset),
        (aw - w - inset, inset),
        (inset, ah - h - inset),
        (aw - w - inset, ah - h - inset),
        ((aw - w) / 2, inset),
        ((aw - w) / 2, ah - h - inset),
    ]
    .map(|(x, y)| (bx + x, by + y));
    let (x, y) = ink
        .least_covered(&places, (w, h))
        .map_or((inset, inset), |(x, y)| (x - bx, y - by));
    backdrop(area, t, ((x, y), (x + w, y + h)));
    let _ = area.draw(&Rectangle::new([(x, y), (x + w, y + h)], t.grid));
    for (i, (name, swatch)) in entries.iter().enumerate() {
        let cy = y + margin + line_h * i as i32 + line_h / 2;
        let x0 = x + margin;
        let _ = match swatch {
            Swatch::Line(style) => area.draw(&PathElement::new(
                vec![(x0, cy), (x0 + swatch_w, cy)],
                *style,
            )),
            Swatch::Block(colour) => {
                let half = t.px(4.0) as i32;
                area.draw(&Rectangle::new(
                    [(x0, cy - half), (x0 + 2 * half, cy + half)],
                    colour.filled(),
                ))
            }
        };
        let style = t.font(12.0).pos(Pos::new(HPos::Left, VPos::Center));
        let _ = area.draw(&Text::new(
            name.to_string(),
            (x0 + swatch_w + gap, cy),
            style,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(points: Vec<(f64, f64)>, y_log10: bool) -> LineChart {
        LineChart {
            series: vec![Series {
                name: "s".into(),
                points,
                tone: Tone::Primary,
                faint: false,
            }],
            y_log10,
            ..LineChart::default()
        }
    }

    #[test]
    fn a_linear_y_axis_starts_at_zero_with_room_above_the_highest_value() {
        let (x0, x1, y0, y1) = bounds(&line(vec![(10.0, 5.0), (60.0, 250.0)], false));
        assert_eq!((x0, x1, y0), (10.0, 60.0, 0.0));
        assert!((y1 - 270.0).abs() < 1e-9, "250 × 1.08 = 270, got {y1}");
    }

    #[test]
    fn a_log_y_axis_runs_between_whole_powers_of_ten() {
        // Battery lives of 2.7 and 7,000 days (log10 0.43 and 3.85): 1 to 10,000 days.
        let (_, _, y0, y1) = bounds(&line(
            vec![(1.0, 2.7f64.log10()), (4.9, 7000f64.log10())],
            true,
        ));
        assert_eq!((y0, y1), (0.0, 4.0));
        // One value: still a decade to show.
        let (_, _, y0, y1) = bounds(&line(vec![(1.0, 2.0)], true));
        assert_eq!((y0, y1), (2.0, 3.0));
    }

    #[test]
    fn nothing_drawable_gives_unit_bounds() {
        assert_eq!(bounds(&line(vec![], false)), (0.0, 1.0, 0.0, 1.0));
        assert_eq!(
            bounds(&line(vec![(f64::NAN, f64::NAN)], true)),
            (0.0, 1.0, 0.0, 1.0)
        );
    }

    #[test]
    fn a_log_axis_is_labelled_once_per_power_of_ten() {
        // 10 s to a day (log10 1 to 4.94): at most 4 labels, so plotters steps by 1.
        let (count, label) = axis_ticks(true, 4.94 - 1.0, 8);
        assert_eq!(count, 4);
        assert_eq!(
            [1.0, 2.0, 3.0, 4.0].map(|v| label(&v)),
            ["10", "100", "1,000", "10,000"]
        );
        let (count, label) = axis_ticks(false, 100.0, 6);
        assert_eq!((count, label(&20.0)), (6, "20".to_string()));
        // A span under 10 gets up to two decimals (format::number drops trailing zeros).
        let (_, label) = axis_ticks(false, 2.0, 6);
        assert_eq!([label(&1.25), label(&1.5)], ["1.25", "1.5"]);
    }
}
