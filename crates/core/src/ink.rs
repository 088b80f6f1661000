//! Where a chart has drawn, to place its legend where it hides the least.
//!
//! A chart records the pixels of its lines, bars and labels as points every
//! few pixels; the legend then goes to the first candidate place (a corner,
//! say) whose box covers the fewest of them.

/// Points a chart has drawn on, in canvas pixels.
#[derive(Debug, Clone)]
pub struct Ink {
    points: Vec<(i32, i32)>,
    /// The canvas: what lies outside is clamped to its edge, so that a
    /// value far off the chart (which maps to a huge pixel coordinate)
    /// neither overflows nor adds points without end.
    size: (i32, i32),
}

impl Ink {
    /// Pixels between recorded points.
    pub const STEP: i64 = 6;

    /// Nothing drawn yet on a canvas of `width` x `height` pixels (at most 8,192 each).
    pub fn new(width: u32, height: u32) -> Self {
        Ink {
            points: Vec::new(),
            size: (width.min(8192) as i32, height.min(8192) as i32),
        }
    }

    fn clamp(&self, p: (i32, i32)) -> (i64, i64) {
        (
            i64::from(p.0.clamp(0, self.size.0)),
            i64::from(p.1.clamp(0, self.size.1)),
        )
    }

    /// A line from `a` to `b`: a point every [`Self::STEP`] pixels, both ends included.
    pub fn line(&mut self, a: (i32, i32), b: (i32, i32)) {
        let ((ax, ay), (bx, by)) = (self.clamp(a), self.clamp(b));
        let n = ((bx - ax).abs().max((by - ay).abs()) / Self::STEP).max(1);
        self.points.extend((0..=n).map(|i| {
            (
                (ax + (bx - ax) * i / n) as i32,
                (ay + (by - ay) * i / n) as i32,
            )
        }));
    }

    /// A filled rectangle with corners `a` and `b`: a grid of points
    /// [`Self::STEP`] pixels apart.
    pub fn area(&mut self, (a, b): ((i32, i32), (i32, i32))) {
        let ((ax, ay), (bx, by)) = (self.clamp(a), self.clamp(b));
        for x in (ax.min(bx)..=ax.max(bx)).step_by(Self::STEP as usize) {
            for y in (ay.min(by)..=ay.max(by)).step_by(Self::STEP as usize) {
                self.points.push((x as i32, y as i32));
            }
        }
    }

    /// How many points lie in the box at `(x, y)` (its upper left corner)
    /// of `(w, h)` pixels, edges included.
    pub fn count(&self, (x, y): (i32, i32), (w, h): (i32, i32)) -> usize {
        self.points
            .iter()
            .filter(|p| (x..=x + w).contains(&p.0) && (y..=y + h).contains(&p.1))
            .count()
    }

    /// The first of `places` where a box of `size` covers the fewest points.
    pub fn least_covered(&self, places: &[(i32, i32)], size: (i32, i32)) -> Option<(i32, i32)> {
        places
            .iter()
            .copied()
            .min_by_key(|&at| self.count(at, size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_a_point_every_six_pixels_with_both_ends() {
        let mut ink = Ink::new(100, 100);
        ink.line((0, 10), (60, 10));
        // 0, 6, ..., 60: eleven points, all on y = 10.
        assert_eq!(ink.count((0, 10), (60, 0)), 11);
        assert_eq!(ink.count((0, 0), (100, 9)), 0);
        // Half of it: x from 0 to 30 holds 0, 6, 12, 18, 24, 30.
        assert_eq!(ink.count((0, 0), (30, 100)), 6);
        // A single point is recorded once per end.
        let mut dot = Ink::new(100, 100);
        dot.line((50, 50), (50, 50));
        assert_eq!(dot.count((50, 50), (0, 0)), 2);
    }

    #[test]
    fn an_area_is_a_grid() {
        let mut ink = Ink::new(100, 100);
        // Corners given in either order: x 10, 16, 22 and y 20, 26, 32, 38.
        ink.area(((22, 38), (10, 20)));
        assert_eq!(ink.count((0, 0), (100, 100)), 12);
        assert_eq!(ink.count((10, 20), (0, 18)), 4);
    }

    #[test]
    fn far_off_coordinates_are_clamped_to_the_canvas() {
        let mut ink = Ink::new(120, 60);
        ink.line((i32::MIN, i32::MIN), (i32::MAX, i32::MAX));
        ink.area(((i32::MIN, 0), (i32::MAX, 60)));
        // The line runs from (0, 0) to (120, 60): 120 / 6 = 20 steps, 21 points.
        // The area covers the canvas: 21 x 11 points.
        assert_eq!(ink.count((0, 0), (120, 60)), 21 + 21 * 11);
        assert_eq!(ink.count((121, 0), (1000, 1000)), 0);
        // A canvas larger than 8,192 pixels is taken as 8,192.
        let mut big = Ink::new(u32::MAX, 10);
        big.line((0, 0), (i32::MAX, 0));
        assert_eq!(big.count((0, 0), (i32::MAX - 1, 0)), 8192 / 6 + 1);
    }

    #[test]
    fn the_legend_goes_where_it_hides_the_least() {
        let (w, h) = (30, 30);
        let corners = [(0, 0), (70, 0), (0, 70), (70, 70)];
        // Rising (pixel y grows downwards): from the lower left to the upper
        // right. Both the upper left and the lower right are free: the first wins.
        let mut rising = Ink::new(100, 100);
        rising.line((0, 100), (100, 0));
        assert_eq!(rising.count((0, 0), (w, h)), 0);
        assert!(rising.count((70, 0), (w, h)) > 0);
        assert_eq!(rising.least_covered(&corners, (w, h)), Some((0, 0)));
        // Falling from the upper left: the upper right is the first free corner.
        let mut falling = Ink::new(100, 100);
        falling.line((0, 0), (100, 100));
        assert_eq!(falling.least_covered(&corners, (w, h)), Some((70, 0)));
        // Everything covered: the corner covering the fewest, here the
        // lower right, which a bar misses.
        let mut bars = Ink::new(100, 100);
        bars.area(((0, 0), (100, 69)));
        bars.area(((0, 70), (60, 100)));
        assert_eq!(bars.least_covered(&corners, (w, h)), Some((70, 70)));
        assert_eq!(Ink::new(10, 10).least_covered(&[], (w, h)), None);
    }
}
