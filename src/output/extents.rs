//! Where text falls on a canvas: a drawing backend that draws nothing and records every label
//! any of whose glyph pixels would fall outside the canvas (a bitmap drops them: the label is
//! clipped). Tests draw the shipped figures and frames on it.

use std::cell::RefCell;
use std::rc::Rc;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendTextStyle, DrawingErrorKind};

/// A backend of `size` pixels that records clipped labels.
pub struct Recorder {
    size: (u32, u32),
    clipped: Rc<RefCell<Vec<String>>>,
}

impl DrawingBackend for Recorder {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        _: BackendCoord,
        _: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    /// Lays the text out as plotters' default `draw_text` does and checks each pixel.
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let (w, h) = (self.size.0 as i32, self.size.1 as i32);
        let mut outside = false;
        let drawn = style.draw(text, (0, 0), |x, y, colour| {
            let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            // A faint antialiasing fringe is not a clipped letter.
            let inside = (0..w).contains(&x) && (0..h).contains(&y);
            if colour.alpha > 0.3 && !inside {
                outside = true;
            }
            Ok::<(), std::convert::Infallible>(())
        });
        if drawn.is_err() {
            return Err(DrawingErrorKind::FontError(Box::new(std::fmt::Error)));
        }
        if outside {
            self.clipped.borrow_mut().push(text.to_string());
        }
        Ok(())
    }
}

/// The labels that `draw` clips on a canvas of `size` pixels (none: every label is whole).
/// Labels drawn glyph by glyph ([`super::glyphs`]) are listed glyph by glyph.
pub fn clipped_labels(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<Recorder, Shift>) -> Result<()>,
) -> Result<Vec<String>> {
    super::plots::register_font();
    let clipped = Rc::new(RefCell::new(Vec::new()));
    let root = Recorder {
        size,
        clipped: Rc::clone(&clipped),
    }
    .into_drawing_area();
    draw(&root)?;
    root.present().map_err(|e| anyhow!("{e}"))?;
    let found = clipped.borrow().clone();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::glyphs::draw_text;

    #[test]
    fn a_label_past_the_right_edge_is_clipped_and_one_inside_is_not() {
        let found = clipped_labels((200, 100), |root| {
            draw_text(root, "inside", (10, 10), 15.0, HPos::Left)?;
            draw_text(root, "outside", (190, 50), 15.0, HPos::Left)
        })
        .unwrap();
        assert!(!found.is_empty());
        assert!(
            found.iter().all(|c| "outside".contains(c.as_str())),
            "{found:?}"
        );
        let none = clipped_labels((200, 100), |root| {
            draw_text(root, "inside", (10, 10), 15.0, HPos::Left)
        })
        .unwrap();
        assert!(none.is_empty(), "{none:?}");
    }
}
