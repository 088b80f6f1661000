//! The charts' plotters backend: a 2D canvas context, as plotters-canvas
//! 0.3.1 draws it, with its colours and font sizes written without Rust's
//! float formatting (`{}` of an f64 cost every chart page about 7 KB of
//! brotli; issue 24, BENCHMARKS.md).

use mqtt_lab_core::format::plain;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub struct Canvas {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
}

/// A canvas call failed (the context threw).
#[derive(Debug)]
pub struct CanvasError;

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the canvas refused a drawing call")
    }
}

impl std::error::Error for CanvasError {}

type Drawn = Result<(), DrawingErrorKind<CanvasError>>;

fn failed<T>(_: T) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError)
}

/// The CSS colour of a plotters colour.
fn css_color(color: BackendColor) -> String {
    let (r, g, b) = color.rgb;
    format!("rgba({r},{g},{b},{})", plain(color.alpha))
}

/// The CSS font shorthand: `style`, a size in pixels, a family.
pub fn css_font(style: &str, size_px: f64, family: &str) -> String {
    format!("{style} {}px {family}", plain(size_px))
}

impl Canvas {
    pub fn new(canvas: HtmlCanvasElement) -> Option<Self> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Self { canvas, context })
    }

    fn stroke_style(&self, style: &impl BackendStyle) {
        self.context.set_stroke_style_str(&css_color(style.color()));
        self.context.set_line_width(f64::from(style.stroke_width()));
    }

    fn fill_style(&self, color: BackendColor) {
        self.context.set_fill_style_str(&css_color(color));
    }

    /// The fill colour, or the stroke colour and width: what a shape that
    /// may be filled or outlined is drawn with.
    fn paint_style(&self, style: &impl BackendStyle, fill: bool) {
        if fill {
            self.fill_style(style.color());
        } else {
            self.stroke_style(style);
        }
    }

    /// A path through `points`, begun and not yet stroked or filled.
    fn path(&self, points: impl IntoIterator<Item = BackendCoord>) -> bool {
        let mut points = points.into_iter();
        self.context.begin_path();
        let Some((x, y)) = points.next() else {
            return false;
        };
        self.context.move_to(f64::from(x), f64::from(y));
        for (x, y) in points {
            self.context.line_to(f64::from(x), f64::from(y));
        }
        true
    }
}

/// A horizontal or vertical line of width 1 on the pixel grid: moved by
/// half a pixel to cover one row or column of pixels, not half of two.
fn on_pixels(from: BackendCoord, to: BackendCoord) -> ((f64, f64), (f64, f64)) {
    let mut from = (f64::from(from.0), f64::from(from.1));
    let mut to = (f64::from(to.0), f64::from(to.1));
    if from.0 == to.0 {
        from.0 -= 0.5;
        to.0 -= 0.5;
    }
    if from.1 == to.1 {
        from.1 -= 0.5;
        to.1 -= 0.5;
    }
    (from, to)
}

impl DrawingBackend for Canvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width(), self.canvas.height())
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        if color.alpha > 0.0 {
            self.fill_style(color);
            self.context
                .fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        if style.color().alpha > 0.0 {
            let (from, to) = on_pixels(from, to);
            self.stroke_style(style);
            self.context.begin_path();
            self.context.move_to(from.0, from.1);
            self.context.line_to(to.0, to.1);
            self.context.stroke();
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let w = f64::from(bottom_right.0 - upper_left.0);
        let h = f64::from(bottom_right.1 - upper_left.1);
        self.paint_style(style, fill);
        if fill {
            self.context.fill_rect(x, y, w, h);
        } else {
            self.context.stroke_rect(x, y, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        if style.color().alpha > 0.0 {
            self.stroke_style(style);
            self.path(path);
            self.context.stroke();
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        if style.color().alpha > 0.0 {
            self.fill_style(style.color());
            if self.path(path) {
                self.context.close_path();
            }
            self.context.fill();
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.paint_style(style, fill);
        self.context.begin_path();
        self.context
            .arc(
                f64::from(center.0),
                f64::from(center.1),
                f64::from(radius),
                0.0,
                std::f64::consts::TAU,
            )
            .map_err(failed)?;
        if fill {
            self.context.fill();
        } else {
            self.context.stroke();
        }
        Ok(())
    }

    /// As plotters 0.3.7 measures text on wasm32 (its web `estimate_layout`): a
    /// span in the font, laid out off screen, measured and removed; so the
    /// axis labels are placed exactly as before.
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        let document = self
            .canvas
            .owner_document()
            .ok_or(CanvasError)
            .map_err(failed)?;
        let body = document.body().ok_or(CanvasError).map_err(failed)?;
        let span = document.create_element("span").map_err(failed)?;
        span.set_text_content(Some(text));
        let css = format!(
            "display: inline-block; font-family:{}; font-style:{}; font-size: {}px; position: fixed; top: 100%",
            style.family().as_str(),
            style.style().as_str(),
            plain(style.size()),
        );
        span.set_attribute("style", &css).map_err(failed)?;
        body.append_child(&span).map_err(failed)?;
        let size = span.dyn_ref::<web_sys::HtmlElement>().map(|e| {
            (
                e.offset_width().max(0) as u32,
                e.offset_height().max(0) as u32,
            )
        });
        span.remove();
        size.ok_or(CanvasError).map_err(failed)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let quarter_turns = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 1.0,
            FontTransform::Rotate180 => 2.0,
            FontTransform::Rotate270 => 3.0,
        };
        let (mut x, mut y) = (f64::from(pos.0), f64::from(pos.1));
        let c = &self.context;
        if quarter_turns != 0.0 {
            c.save();
            c.translate(x, y).map_err(failed)?;
            c.rotate(quarter_turns * std::f64::consts::FRAC_PI_2)
                .map_err(failed)?;
            (x, y) = (0.0, 0.0);
        }
        c.set_text_baseline(match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        });
        c.set_text_align(match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        });
        c.set_fill_style_str(&css_color(color));
        c.set_font(&css_font(
            style.style().as_str(),
            style.size(),
            style.family().as_str(),
        ));
        c.fill_text(text, x, y).map_err(failed)?;
        if quarter_turns != 0.0 {
            c.restore();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What plotters-canvas wrote with `{}`: the same numbers, so the
    /// canvas parses the same colours and fonts (`format::plain`: up to six
    /// decimals, exactly rounded, trailing zeros removed).
    #[test]
    fn numbers_are_written_as_css_reads_them() {
        assert_eq!(plain(1.0), "1");
        assert_eq!(plain(0.4), "0.4");
        assert_eq!(plain(0.35), "0.35");
        assert_eq!(plain(0.8), "0.8");
        assert_eq!(plain(27.0), "27");
        assert_eq!(plain(13.5), "13.5");
        // 12 px at a device pixel ratio of 1.1: 13.200000000000001 with `{}`.
        assert_eq!(plain(12.0 * 1.1), "13.2");
        assert_eq!(plain(0.0), "0");
        assert_eq!(plain(-2.5), "-2.5");
        assert_eq!(
            css_font("normal", 24.0, "sans-serif"),
            "normal 24px sans-serif"
        );
    }
}
