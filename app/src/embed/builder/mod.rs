//! The embed builder in the coordinator area: pick a widget, its filters, theme and language,
//! see it, copy its iframe or its loader snippet; beside it, the sites allowed to show the
//! city's forms. The choice lives in the page's address (a GET form), so it works without
//! JavaScript and a link to it shows the same widget.

mod page;

pub use page::EmbedBuilderPage;

use crate::i18n::*;
use domain::Theme;

/// The widgets, as the loader's `data-widget` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Widget {
    #[default]
    Calendar,
    Meeting,
    Map,
    Pact,
    Adherents,
    Badge,
}

impl Widget {
    pub const ALL: [Widget; 6] = [
        Widget::Calendar,
        Widget::Meeting,
        Widget::Map,
        Widget::Pact,
        Widget::Adherents,
        Widget::Badge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Widget::Calendar => "calendar",
            Widget::Meeting => "meeting",
            Widget::Map => "map",
            Widget::Pact => "pact",
            Widget::Adherents => "adherents",
            Widget::Badge => "badge",
        }
    }

    fn parse(raw: &str) -> Widget {
        Widget::ALL
            .into_iter()
            .find(|w| w.as_str() == raw)
            .unwrap_or_default()
    }
}

/// A widget as chosen: what the loader's attributes and the iframe's address say.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    pub widget: Widget,
    pub city: String,
    pub cluster: String,
    pub meeting: String,
    pub adherent: String,
    /// The calendar's own filters and view, as its pages take them.
    pub sector: String,
    pub audience: String,
    pub view: String,
    pub lang: String,
    pub theme: Theme,
}

impl Choice {
    pub fn from_pairs(pairs: &[(String, String)]) -> Choice {
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        let theme = Theme::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .unwrap_or_default();
        Choice {
            widget: Widget::parse(&get("widget")),
            city: slug_or_empty(&get("city")),
            cluster: slug_or_empty(&get("cluster")),
            meeting: digits_or_empty(&get("meeting")),
            adherent: digits_or_empty(&get("adherent")),
            sector: slug_or_empty(&get("sector")),
            audience: domain::Audience::parse(&get("audience"))
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
            view: domain::CalendarView::parse(&get("view"))
                .filter(|v| *v != domain::CalendarView::Agenda)
                .map(|v| v.as_str().to_owned())
                .unwrap_or_default(),
            lang: match get("wlang").as_str() {
                "it" => "it".into(),
                _ => "en".into(),
            },
            theme,
        }
    }

    /// The widget's path after `/embed/{lang}/`, or nothing while a value it needs is missing.
    pub fn path(&self) -> Option<String> {
        let need = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        Some(match self.widget {
            Widget::Calendar => {
                // A city or a cluster, not both; then the calendar's own filters.
                let owner = [("city", &self.city), ("cluster", &self.cluster)]
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .take(1);
                let q: Vec<String> = owner
                    .chain([
                        ("sector", &self.sector),
                        ("audience", &self.audience),
                        ("view", &self.view),
                    ])
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                format!("calendar?{}", q.join("&"))
            }
            Widget::Meeting => format!("meetings/{}", need(&self.meeting)?),
            Widget::Map if !self.city.is_empty() => format!("cities/{}/map", self.city),
            Widget::Map if !self.cluster.is_empty() => format!("map?cluster={}", self.cluster),
            Widget::Map => "map".to_owned(),
            Widget::Pact => format!("cities/{}/pact/join", need(&self.city)?),
            Widget::Adherents => format!("cities/{}/pact/adherents", need(&self.city)?),
            Widget::Badge => format!(
                "cities/{}/pact/adherents/{}",
                need(&self.city)?,
                need(&self.adherent)?
            ),
        })
    }

    /// The iframe's address on the site at `base`.
    pub fn src(&self, base: &str) -> Option<String> {
        let path = self.path()?;
        let (path, query) = path.split_once('?').unwrap_or((&path, ""));
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            q.append_pair(&k, &v);
        }
        for (k, v) in self.theme.pairs() {
            q.append_pair(k, &v);
        }
        let q = q.finish();
        let q = if q.is_empty() { q } else { format!("?{q}") };
        Some(format!("{base}/embed/{}/{path}{q}", self.lang))
    }

    /// The plain iframe, for a page whose scripts are off: a fixed height the reader scrolls.
    pub fn iframe(&self, base: &str, title: &str) -> Option<String> {
        let src = self.src(base)?.replace('&', "&amp;");
        let title = title.replace('&', "&amp;").replace('"', "&quot;");
        let height = match self.widget {
            Widget::Badge => 120,
            Widget::Map => 560,
            _ => 720,
        };
        Some(format!(
            "<iframe src=\"{src}\" title=\"{title}\" width=\"100%\" height=\"{height}\" \
             style=\"border:0;max-width:100%\" loading=\"lazy\"></iframe>"
        ))
    }

    /// The loader's `<script>` with the widget in its data attributes.
    pub fn script(&self, base: &str) -> Option<String> {
        self.path()?;
        let mut attrs = vec![("widget", self.widget.as_str().to_owned())];
        for (k, v) in [
            ("city", &self.city),
            ("cluster", &self.cluster),
            ("sector", &self.sector),
            ("audience", &self.audience),
            ("view", &self.view),
            ("meeting", &self.meeting),
            ("adherent", &self.adherent),
        ] {
            let used = matches!(
                (self.widget, k),
                (Widget::Calendar | Widget::Map, "city" | "cluster")
                    | (Widget::Calendar, "sector" | "audience" | "view")
                    | (Widget::Meeting, "meeting")
                    | (Widget::Pact | Widget::Adherents, "city")
                    | (Widget::Badge, "city" | "adherent")
            );
            if used && !v.is_empty() {
                attrs.push((k, v.clone()));
            }
        }
        attrs.push(("lang", self.lang.clone()));
        for (k, v) in self.theme.pairs() {
            attrs.push((k, v));
        }
        let data: String = attrs
            .into_iter()
            .map(|(k, v)| format!(" data-{k}=\"{}\"", v.replace('"', "&quot;")))
            .collect();
        Some(format!(
            "<script src=\"{base}/embed.js\"{data} async></script>"
        ))
    }
}

fn slug_or_empty(raw: &str) -> String {
    domain::Slug::parse(raw)
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default()
}

fn digits_or_empty(raw: &str) -> String {
    raw.parse::<u64>()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

pub(super) fn widget_label(i18n: crate::layout::I18n, w: Widget) -> String {
    match w {
        Widget::Calendar => t_string!(i18n, embed_widget_calendar),
        Widget::Meeting => t_string!(i18n, embed_widget_meeting),
        Widget::Map => t_string!(i18n, embed_widget_map),
        Widget::Pact => t_string!(i18n, embed_widget_pact),
        Widget::Adherents => t_string!(i18n, embed_widget_adherents),
        Widget::Badge => t_string!(i18n, embed_widget_badge),
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(q: &[(&str, &str)]) -> Choice {
        let pairs: Vec<(String, String)> = q
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Choice::from_pairs(&pairs)
    }

    #[test]
    fn the_snippets_name_the_widget_its_filters_and_theme() {
        let c = choice(&[
            ("widget", "calendar"),
            ("city", "lucca"),
            ("wlang", "it"),
            ("accent", "#a61e4d"),
        ]);
        assert_eq!(
            c.src("https://lc.example").unwrap(),
            "https://lc.example/embed/it/calendar?city=lucca&accent=a61e4d"
        );
        assert_eq!(
            c.script("https://lc.example").unwrap(),
            "<script src=\"https://lc.example/embed.js\" data-widget=\"calendar\" \
             data-city=\"lucca\" data-lang=\"it\" data-accent=\"a61e4d\" async></script>"
        );
        assert!(c
            .iframe("https://lc.example", "Incontri")
            .unwrap()
            .contains("src=\"https://lc.example/embed/it/calendar?city=lucca&amp;accent=a61e4d\""));
    }

    #[test]
    fn a_calendar_carries_its_filters_and_view() {
        let c = choice(&[
            ("widget", "calendar"),
            ("cluster", "literacy"),
            ("sector", "schools"),
            ("audience", "everyone"),
            ("view", "month"),
            ("wlang", "en"),
        ]);
        assert_eq!(
            c.path().unwrap(),
            "calendar?cluster=literacy&sector=schools&audience=everyone&view=month"
        );
        assert!(c.script("").unwrap().contains(
            "data-cluster=\"literacy\" data-sector=\"schools\" data-audience=\"everyone\" data-view=\"month\""
        ));
        let agenda = choice(&[
            ("widget", "calendar"),
            ("view", "agenda"),
            ("audience", "x"),
        ]);
        assert_eq!(agenda.path().unwrap(), "calendar?");
    }

    #[test]
    fn a_widget_without_what_it_needs_has_no_snippet() {
        assert_eq!(choice(&[("widget", "pact")]).path(), None);
        assert_eq!(choice(&[("widget", "meeting")]).script("x"), None);
        assert_eq!(
            choice(&[("widget", "pact"), ("city", "lucca")])
                .path()
                .unwrap(),
            "cities/lucca/pact/join"
        );
        assert_eq!(
            choice(&[("widget", "map"), ("cluster", "literacy")])
                .path()
                .unwrap(),
            "map?cluster=literacy"
        );
    }

    #[test]
    fn values_that_are_not_slugs_or_numbers_are_dropped() {
        let c = choice(&[
            ("widget", "badge"),
            ("city", "\"><script>"),
            ("adherent", "1 OR 1=1"),
        ]);
        assert_eq!((c.city.as_str(), c.adherent.as_str()), ("", ""));
        assert_eq!(c.path(), None);
    }
}
