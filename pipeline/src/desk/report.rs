//! placeholder
use crate::desk::Desk;
use crate::output::Record;
/// Renders.
pub fn render(_r: &[Record], _d: &Desk) -> String {
    String::new()
}
