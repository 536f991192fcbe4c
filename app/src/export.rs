//! Files coordinators and other sites download: what every CSV export shares.

/// A cell that a spreadsheet program would run as a formula (`=`, `+`, `-`, `@`, or a tab or
/// carriage return before one) is prefixed with an apostrophe, so it shows as text.
pub fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("Museo"), "Museo");
    }
}
