//! The desktop's interface font, named to the window's page before its first layout.
//!
//! The page's sheet sets its text in `system-ui` (`--font` in ui/src/styles.css). WebKitGTK resolves
//! `system-ui` in the web process by reading GTK's settings (`gtk-font-name`) the first time a page
//! lays it out, and that first read cost the window's first layout 20-25 ms (WebKitGTK 2.50 under
//! Xvfb: the same page laid out in 42 ms with `system-ui`, 20 ms with a named family). The shell has
//! those settings already, its window being GTK's: it names their family to the page in a script
//! that runs before the page's own (`--font` on the root element), and the page lays out a named
//! family, the same font `system-ui` would have given. Where the shell cannot tell the family, the
//! sheet's `system-ui` stays.

/// The CSS property of the page's text font (ui/src/styles.css).
const FONT_PROPERTY: &str = "--font";

/// The value of `--font` for the desktop's interface font `family`: the family as a CSS string, then
/// `sans-serif` for a family the web process cannot find. `None` for a name that is empty or holds
/// control characters (a GTK setting never does; such a name is left out rather than quoted).
pub fn font_value(family: &str) -> Option<String> {
    let family = family.trim();
    if family.is_empty() || family.chars().any(char::is_control) {
        return None;
    }
    let mut quoted = String::with_capacity(family.len() + 2);
    quoted.push('"');
    for c in family.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    Some(format!("{quoted}, sans-serif"))
}

/// The script that sets `--font` to [`font_value`] on the page's root element, run before the page's
/// own scripts and its first layout (an inline style set from a script, which the page's content
/// security policy allows, unlike a `style` attribute).
pub fn font_script(family: &str) -> Option<String> {
    let value = font_value(family)?;
    // A JSON string is a JavaScript string literal: whatever the family, it stays one.
    let value = serde_json::to_string(&value).ok()?;
    Some(format!(
        "document.documentElement.style.setProperty('{FONT_PROPERTY}', {value});"
    ))
}

/// The family of GTK's interface font (`gtk-font-name`, such as "Cantarell 11"), as `system-ui`
/// would resolve it. `None` before GTK is initialized or when the setting is empty.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn desktop_family() -> Option<String> {
    use gtk::prelude::*;
    if !gtk::is_initialized_main_thread() {
        return None;
    }
    let name = gtk::Settings::default()?.gtk_font_name()?;
    let description = gtk::pango::FontDescription::from_string(&name);
    description.family().map(|family| family.to_string())
}

/// Elsewhere `system-ui` is the platform's own font lookup: the sheet's value stays.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn desktop_family() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::{font_script, font_value};

    #[test]
    fn a_family_becomes_a_css_string_before_the_generic_family() {
        assert_eq!(
            font_value("Cantarell").as_deref(),
            Some("\"Cantarell\", sans-serif")
        );
        assert_eq!(
            font_value(" Noto Sans ").as_deref(),
            Some("\"Noto Sans\", sans-serif")
        );
        // Quotes and backslashes stay inside the string.
        assert_eq!(
            font_value(r#"A"b\c"#).as_deref(),
            Some(r#""A\"b\\c", sans-serif"#)
        );
        assert_eq!(font_value(""), None);
        assert_eq!(font_value("   "), None);
        assert_eq!(font_value("Sans\n}body{color:red"), None);
    }

    #[test]
    fn the_script_sets_the_property_with_a_string_literal() {
        assert_eq!(
            font_script("Cantarell").as_deref(),
            Some(r#"document.documentElement.style.setProperty('--font', "\"Cantarell\", sans-serif");"#)
        );
        // A name that would end the literal and run as code stays inside it.
        let script = font_script("x\"); alert(1); (\"").unwrap();
        assert!(
            script.ends_with(r#"", sans-serif");"#) && script.matches("setProperty").count() == 1,
            "{script}"
        );
        let literal = script
            .strip_prefix("document.documentElement.style.setProperty('--font', ")
            .and_then(|s| s.strip_suffix(");"))
            .unwrap();
        let value: String = serde_json::from_str(literal).unwrap();
        assert_eq!(value, r#""x\"); alert(1); (\"", sans-serif"#);
    }
}
