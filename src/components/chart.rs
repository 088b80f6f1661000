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

type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;

/// Colours read from the stylesheet and the device pixel ratio.
pub struct Theme {
    style: web_sys::CssStyleDeclaration,
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
        ("sans-serif", size * self.dpr).into_font().color(&self.fg)
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
        // Printing lays the page out anew (paper width, light colours) and
        // paints no animation frames: redraw at once for paper, and back.
        if let Ok(Some(query)) = window().match_media("print") {
            let on_print = Closure::<dyn FnMut()>::new(move || {
                if let Some(canvas) = canvas_ref.get_untracked() {
                    let rect = canvas.get_bounding_client_rect();
                    chart.with_untracked(|spec| draw(&canvas, spec, rect.width(), rect.height()));
                }
            });
            let _ =
                query.add_event_listener_with_callback("change", on_print.as_ref().unchecked_ref());
            on_print.forget();
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
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let theme = Theme {
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
fn line_layout<'a, 'b>(root: &'a Area, t: &Theme) -> ChartBuilder<'a, 'b, CanvasBackend> {
    let mut b = ChartBuilder::on(root);
    b.margin(t.px(12.0))
        .margin_right(t.px(28.0))
        .x_label_area_size(t.px(40.0))
        .y_label_area_size(t.px(if t.css_w < 420.0 { 48.0 } else { 64.0 }));
    b
}

/// The grid and axes of a chart whose rows are named on the y axis (the
/// lanes of a [`Timeline`], the bars of a bar chart): one tick per row with
/// its name, the x axis's ticks and title.
fn row_mesh(
    chart: &mut ChartContext<
        '_,
        CanvasBackend,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
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
        let Ok(mut chart) = line_layout(root, t).build_cartesian_2d(0.0..x1, -0.5..(n - 0.5))
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
        let (dpr, css_w, fg, grid, bg) = (t.dpr, t.css_w, t.fg, t.grid, t.bg);
        let px = |v: f64| t.px(v);
        let font = |size: f64| t.font(size);
        let (x0, x1, y0, y1) = bounds(spec);
        let Ok(mut chart) = line_layout(root, t).build_cartesian_2d(x0..x1, y0..y1) else {
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
            let colour = t.tone(series.tone);
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
            let colour = t.tone(line.tone);
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
            let accent = t.tone(Tone::Danger);
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
    }
}

/// One bar of a stacked horizontal bar chart.
#[derive(Clone, PartialEq, Debug)]
pub struct BarRow {
    pub label: String,
    /// (name, value, colour) per segment, left to right.
    pub segments: Vec<(String, f64, Tone)>,
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
        let x1 = if widest > 0.0 { widest * 1.08 } else { 1.0 };
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        let Ok(mut chart) = ChartBuilder::on(root)
            .margin(t.px(12.0))
            .margin_right(t.px(28.0))
            .x_label_area_size(t.px(40.0))
            .y_label_area_size(t.px(if t.css_w < 420.0 { 70.0 } else { 96.0 }))
            .build_cartesian_2d(0.0..x1, -0.5..(n - 0.5))
        else {
            return;
        };
        row_mesh(&mut chart, t, &self.x_label, x1, &labels);
        for (i, row) in self.rows.iter().enumerate() {
            let y = i as f64;
            let mut x = 0.0;
            for (name, value, tone) in &row.segments {
                let value = value.max(0.0);
                if !value.is_finite() || value == 0.0 {
                    continue;
                }
                let colour = t.tone(*tone);
                let rect = Rectangle::new([(x, y - 0.32), (x + value, y + 0.32)], colour.filled());
                if let Ok(drawn) = chart.draw_series(std::iter::once(rect)) {
                    if i == 0 {
                        let size = (8.0 * t.dpr) as i32;
                        drawn.label(name.clone()).legend(move |(lx, ly)| {
                            Rectangle::new(
                                [(lx, ly - size / 2), (lx + size, ly + size / 2)],
                                colour.filled(),
                            )
                        });
                    }
                }
                x += value;
            }
        }
        if let Some((value, label)) = &self.line {
            let colour = t.tone(Tone::Danger);
            let _ = chart.draw_series(std::iter::once(PathElement::new(
                vec![(*value, -0.5), (*value, n - 0.5)],
                colour.stroke_width(t.px(2.0)),
            )));
            let _ = chart.draw_series(std::iter::once(Text::new(
                label.clone(),
                (*value - x1 * 0.01, n - 0.55),
                t.font(11.0)
                    .color(&colour)
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Right,
                        plotters::style::text_anchor::VPos::Top,
                    )),
            )));
        }
        let _ = chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(t.bg.mix(0.85))
            .border_style(t.grid)
            .label_font(t.font(12.0))
            .draw();
    }
}
