//! The mail an organisation receives about its adhesion.

use super::*;

pub(super) fn title_in(locale: Locale, title: &Localized) -> String {
    title.get(locale.as_str()).to_owned()
}

pub(super) fn city_in(locale: Locale, city: &CityBrief) -> String {
    match locale.as_str() {
        "it" => city.name_it.clone(),
        _ => city.name_en.clone(),
    }
}

pub(super) fn confirm_letter(
    site: &SiteInfo,
    locale: Locale,
    ctx: &PactContext,
    organisation: &str,
    contact: &str,
    secret: &str,
) -> Letter {
    let title = title_in(locale, &ctx.title());
    let city = city_in(locale, &ctx.city);
    Letter {
        locale,
        subject: leptos_i18n::td_string!(
            locale,
            mail_pact_confirm_subject,
            organisation = organisation
        )
        .to_string(),
        greeting: greeting(locale, contact),
        paragraphs: vec![leptos_i18n::td_string!(
            locale,
            mail_pact_confirm_body,
            organisation = organisation,
            title = title,
            city = city
        )
        .to_string()],
        action: Some((
            leptos_i18n::td_string!(locale, mail_pact_confirm_action).to_string(),
            link(site, locale, "pact/confirm", secret),
        )),
        note: Some(
            leptos_i18n::td_string!(locale, mail_pact_confirm_note, hours = CONFIRM_HOURS)
                .to_string(),
        ),
        attachments: Vec::new(),
    }
}

/// The letter carrying an organisation's personal link, for why it is sent.
pub fn personal_letter(
    site: &SiteInfo,
    ctx: &PactContext,
    row: &AdhesionRow,
    secret: &str,
    why: Why,
) -> Letter {
    let locale = crate::locale_of(&row.locale);
    let title = title_in(locale, &ctx.title());
    let city = city_in(locale, &ctx.city);
    let (subject, opening) = personal_opening(locale, why, &row.organisation, title, city);
    let mut paragraphs = vec![opening];
    if why == Why::Approved && row.listed {
        let url = format!(
            "{}/{}/cities/{}/pact/adherents/{}",
            site.public_url,
            locale.as_str(),
            ctx.city.slug,
            row.id
        );
        paragraphs
            .push(leptos_i18n::td_string!(locale, mail_pact_certificate, url = url).to_string());
    }
    Letter {
        locale,
        subject,
        greeting: greeting(locale, &row.contact_name),
        paragraphs,
        action: Some((
            leptos_i18n::td_string!(locale, mail_pact_personal_action).to_string(),
            link(site, locale, "pact/adhesion", secret),
        )),
        note: Some(leptos_i18n::td_string!(locale, mail_pact_personal_note).to_string()),
        attachments: Vec::new(),
    }
}

/// The subject and first paragraph of a personal letter, for why it is sent.
fn personal_opening(
    locale: Locale,
    why: Why,
    organisation: &str,
    title: String,
    city: String,
) -> (String, String) {
    let organisation = organisation.to_owned();
    match why {
        Why::Confirmed => (
            leptos_i18n::td_string!(
                locale,
                mail_pact_received_subject,
                organisation = organisation.clone()
            )
            .to_string(),
            leptos_i18n::td_string!(
                locale,
                mail_pact_received_body,
                organisation = organisation,
                title = title,
                city = city
            )
            .to_string(),
        ),
        Why::Resent => (
            leptos_i18n::td_string!(
                locale,
                mail_pact_link_subject,
                organisation = organisation.clone()
            )
            .to_string(),
            leptos_i18n::td_string!(
                locale,
                mail_pact_link_body,
                organisation = organisation,
                title = title
            )
            .to_string(),
        ),
        Why::Replaced => (
            leptos_i18n::td_string!(
                locale,
                mail_pact_new_link_subject,
                organisation = organisation.clone()
            )
            .to_string(),
            leptos_i18n::td_string!(
                locale,
                mail_pact_new_link_body,
                organisation = organisation,
                title = title
            )
            .to_string(),
        ),
        Why::Approved => (
            leptos_i18n::td_string!(
                locale,
                mail_pact_approved_subject,
                organisation = organisation.clone()
            )
            .to_string(),
            leptos_i18n::td_string!(
                locale,
                mail_pact_approved_body,
                organisation = organisation,
                title = title,
                city = city
            )
            .to_string(),
        ),
    }
}

/// Why an organisation gets its personal link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Confirmed,
    Resent,
    /// Asked for on the adhesion's page: the link in earlier mails stops working.
    Replaced,
    Approved,
}
