//! The pact's settings page.

use super::*;

#[component]
pub fn PactSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let save = ServerAction::<SavePact>::new();
    let partner = ServerAction::<SavePartner>::new();
    let commitment = ServerAction::<SaveCommitment>::new();
    let sector = ServerAction::<SaveSector>::new();
    let data = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                slug(),
                save.version().get()
                    + partner.version().get()
                    + commitment.version().get()
                    + sector.version().get(),
            )
        },
        |(lang, slug, _)| get_pact_admin(lang, slug),
    );
    view! {
        <AreaPage
            title=text!(i18n, pact_settings_title)
            resource=data
            body=move |p: PactAdmin| view! { <SettingsView p save partner commitment sector /> }
        />
    }
}

#[component]
pub(super) fn SettingsView(
    p: PactAdmin,
    save: ServerAction<SavePact>,
    partner: ServerAction<SavePartner>,
    commitment: ServerAction<SaveCommitment>,
    sector: ServerAction<SaveSector>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let done = move || query.read().get("done");
    let slug = StoredValue::new(p.city.slug.clone());
    let exists = !p.versions.is_empty();
    view! {
        <h1>{t!(i18n, pact_settings_title)} " · " {in_lang(i18n, p.city.name.clone())}</h1>
        <PactNav slug=slug.get_value() />
        <div role="status">{move || done().map(|_| view! { <p class="notice">{t!(i18n, notice_saved)}</p> })}</div>
        {text_section(i18n, &p, save, slug)}
        {exists.then(|| (
            partners_section(i18n, &p.partners, partner, slug),
            commitments_section(i18n, &p.commitments, commitment, slug),
        ))}
        {sectors_section(i18n, &p.sectors, sector, slug)}
    }
}

/// The pact's title, date and text, with the versions published so far.
fn text_section(
    i18n: I18n,
    p: &PactAdmin,
    save: ServerAction<SavePact>,
    slug: StoredValue<String>,
) -> impl IntoView {
    let save_error = error_of(save);
    let signed_on = p.signed_on.map(|d| d.to_string()).unwrap_or_default();
    let city = p.city.slug.clone();
    let (title_it, title_en) = (p.title_it.clone(), p.title_en.clone());
    let (text_it, text_en) = (p.text_it.clone(), p.text_en.clone());
    view! {
        <section aria-labelledby="text-heading">
            <h2 id="text-heading">{t!(i18n, pact_settings_text)}</h2>
            <p>{t!(i18n, pact_settings_text_intro)}</p>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <LangInput />
                <input type="hidden" name="slug" value=slug.get_value() />
                <FormAlert error=save_error />
                <Field name="title_it" label=text!(i18n, field_title_it) kind=Kind::Text required=true value=title_it error=save_error />
                <Field name="title_en" label=text!(i18n, field_title_en) kind=Kind::Text required=true value=title_en error=save_error />
                <Field name="signed_on" label=text!(i18n, field_signed_on) kind=Kind::Date value=signed_on error=save_error />
                <Field name="text_it" label=text!(i18n, field_text_it) hint=text!(i18n, field_markdown_hint) kind=Kind::TextArea value=text_it error=save_error />
                <Field name="text_en" label=text!(i18n, field_text_en) hint=text!(i18n, field_markdown_hint) kind=Kind::TextArea value=text_en error=save_error />
                <button type="submit" class="button">{t!(i18n, save)}</button>
            </ActionForm>
            {(!p.versions.is_empty()).then(|| view! {
                <h3>{t!(i18n, pact_versions)}</h3>
                <ul>
                    {p.versions.iter().map(|v| {
                        let (n, date) = (v.number, v.published.to_string());
                        view! { <li><a href=link_to(i18n, format!("cities/{city}/pact?version={n}"))>{t!(i18n, pact_version_of, number = move || n, date = move || date.clone())}</a></li> }
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

fn partners_section(
    i18n: I18n,
    partners: &[PartnerAdmin],
    partner: ServerAction<SavePartner>,
    slug: StoredValue<String>,
) -> impl IntoView {
    let partner_error = error_of(partner);
    view! {
        <section aria-labelledby="partners-heading">
            <h2 id="partners-heading">{t!(i18n, city_partners)}</h2>
            <FormAlert error=partner_error />
            {partners.iter().cloned().map(|x| view! {
                <details class="row-edit">
                    <summary>{x.name.clone()}</summary>
                    <ActionForm action=partner attr:class="form">
                        <LangInput />
                        <input type="hidden" name="slug" value=slug.get_value() />
                        <input type="hidden" name="id" value=x.id.to_string() />
                        <PartnerFields name=x.name.clone() role_en=x.role_en.clone() role_it=x.role_it.clone() website=x.website.clone() error=partner_error row=x.id.to_string() />
                        <button type="submit" class="button">{t!(i18n, save)}</button>
                    </ActionForm>
                    <ActionForm action=partner attr:class="form">
                        <LangInput />
                        <input type="hidden" name="slug" value=slug.get_value() />
                        <input type="hidden" name="id" value=x.id.to_string() />
                        <input type="hidden" name="remove" value="yes" />
                        <button type="submit" class="button button--danger">{t!(i18n, remove)}</button>
                    </ActionForm>
                </details>
            }).collect_view()}
            <h3>{t!(i18n, partner_add)}</h3>
            <ActionForm action=partner attr:class="form">
                <LangInput />
                <input type="hidden" name="slug" value=slug.get_value() />
                <PartnerFields name=String::new() role_en=String::new() role_it=String::new() website=String::new() error=partner_error row=String::new() />
                <button type="submit" class="button">{t!(i18n, add)}</button>
            </ActionForm>
        </section>
    }
}

fn commitments_section(
    i18n: I18n,
    commitments: &[CommitmentAdmin],
    commitment: ServerAction<SaveCommitment>,
    slug: StoredValue<String>,
) -> impl IntoView {
    let commitment_error = error_of(commitment);
    view! {
        <section aria-labelledby="commitments-heading">
            <h2 id="commitments-heading">{t!(i18n, pact_commitments)}</h2>
            <FormAlert error=commitment_error />
            {commitments.iter().cloned().map(|c| view! {
                <details class="row-edit">
                    <summary>{c.label_it.clone()} {c.retired.then(|| view! { " " <span class="badge">{t!(i18n, commitment_retired)}</span> })}</summary>
                    <ActionForm action=commitment attr:class="form">
                        <LangInput />
                        <input type="hidden" name="slug" value=slug.get_value() />
                        <input type="hidden" name="id" value=c.id.to_string() />
                        <KeyedFields key=c.slug.clone() en=c.label_en.clone() it=c.label_it.clone() en_name="label_en" it_name="label_it" error=commitment_error kind="c" row=c.id.to_string() />
                        <div class="field field--check">
                            <input id=format!("retired-{}", c.id) type="checkbox" name="retired" value="yes" checked=c.retired />
                            <label for=format!("retired-{}", c.id)>{t!(i18n, commitment_retire)}</label>
                        </div>
                        <button type="submit" class="button">{t!(i18n, save)}</button>
                    </ActionForm>
                </details>
            }).collect_view()}
            <h3>{t!(i18n, commitment_add)}</h3>
            <ActionForm action=commitment attr:class="form">
                <LangInput />
                <input type="hidden" name="slug" value=slug.get_value() />
                <KeyedFields key=String::new() en=String::new() it=String::new() en_name="label_en" it_name="label_it" error=commitment_error kind="c" row=String::new() />
                <button type="submit" class="button">{t!(i18n, add)}</button>
            </ActionForm>
        </section>
    }
}

fn sectors_section(
    i18n: I18n,
    sectors: &[SectorAdmin],
    sector: ServerAction<SaveSector>,
    slug: StoredValue<String>,
) -> impl IntoView {
    let sector_error = error_of(sector);
    view! {
        <section aria-labelledby="sectors-heading">
            <h2 id="sectors-heading">{t!(i18n, city_sectors)}</h2>
            <p>{t!(i18n, sectors_intro)}</p>
            <FormAlert error=sector_error />
            {sectors.iter().cloned().map(|s| view! {
                <details class="row-edit">
                    <summary>{s.name_it.clone()} " / " {s.name_en.clone()}</summary>
                    <ActionForm action=sector attr:class="form">
                        <LangInput />
                        <input type="hidden" name="slug" value=slug.get_value() />
                        <input type="hidden" name="id" value=s.id.to_string() />
                        <KeyedFields key=s.slug.clone() en=s.name_en.clone() it=s.name_it.clone() en_name="name_en" it_name="name_it" error=sector_error kind="s" row=s.id.to_string() />
                        <button type="submit" class="button">{t!(i18n, save)}</button>
                    </ActionForm>
                    <ActionForm action=sector attr:class="form">
                        <LangInput />
                        <input type="hidden" name="slug" value=slug.get_value() />
                        <input type="hidden" name="id" value=s.id.to_string() />
                        <input type="hidden" name="remove" value="yes" />
                        <button type="submit" class="button button--danger">{t!(i18n, remove)}</button>
                    </ActionForm>
                </details>
            }).collect_view()}
            <h3>{t!(i18n, sector_add)}</h3>
            <ActionForm action=sector attr:class="form">
                <LangInput />
                <input type="hidden" name="slug" value=slug.get_value() />
                <KeyedFields key=String::new() en=String::new() it=String::new() en_name="name_en" it_name="name_it" error=sector_error kind="s" row=String::new() />
                <button type="submit" class="button">{t!(i18n, add)}</button>
            </ActionForm>
        </section>
    }
}

/// A labelled input of one row's form on a page with many forms of the same kind: its id is
/// unique, and a refusal shows on the row it came from (the form's `id`, kept by the server).
#[component]
pub(super) fn RowInput(
    id: String,
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    value: String,
    error: Signal<Option<AppError>>,
    row: String,
    #[prop(optional)] kind: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let ours = move || {
        error.get().and_then(|e| {
            e.invalid()
                .filter(|i| i.value("id").unwrap_or_default() == row)
                .cloned()
        })
    };
    let value = ours()
        .and_then(|i| i.value(name).map(str::to_owned))
        .unwrap_or(value);
    let problem = Memo::new(move |_| ours().and_then(|i| i.problem(name)));
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || problem.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=id.clone()
                name=name
                type=if kind.is_empty() { "text" } else { kind }
                value=value
                aria-invalid=move || problem.get().is_some().then_some("true")
                aria-describedby=error_id.clone()
            />
            <p class="field-error" id=error_id>{move || problem.get().map(|p| problem_text(i18n, p))}</p>
        </div>
    }
}

#[component]
pub(super) fn PartnerFields(
    name: String,
    role_en: String,
    role_it: String,
    website: String,
    error: Signal<Option<AppError>>,
    row: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let prefix = if row.is_empty() {
        "new".to_owned()
    } else {
        row.clone()
    };
    view! {
        <RowInput id=format!("partner-{prefix}-name") name="name" label=text!(i18n, field_partner_name) value=name error row=row.clone() />
        <RowInput id=format!("partner-{prefix}-role-it") name="role_it" label=text!(i18n, field_role_it) value=role_it error row=row.clone() />
        <RowInput id=format!("partner-{prefix}-role-en") name="role_en" label=text!(i18n, field_role_en) value=role_en error row=row.clone() />
        <RowInput id=format!("partner-{prefix}-website") name="website" label=text!(i18n, field_website) value=website error row=row kind="url" />
    }
}

#[component]
pub(super) fn KeyedFields(
    key: String,
    en: String,
    it: String,
    en_name: &'static str,
    it_name: &'static str,
    error: Signal<Option<AppError>>,
    /// `c` for commitments, `s` for sectors: keeps ids apart.
    kind: &'static str,
    row: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let prefix = format!(
        "{kind}{}",
        if row.is_empty() { "new" } else { row.as_str() }
    );
    view! {
        <RowInput id=format!("{prefix}-key") name="key" label=text!(i18n, field_key) value=key error row=row.clone() />
        <RowInput id=format!("{prefix}-it") name=it_name label=text!(i18n, field_name_it) value=it error row=row.clone() />
        <RowInput id=format!("{prefix}-en") name=en_name label=text!(i18n, field_name_en) value=en error row=row />
    }
}
