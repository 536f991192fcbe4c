//! Joining a pact: the form with its details and logo, the page after it, confirming by mail
//! and asking for the link again.

use super::*;

/// The error a plain form post (no JavaScript) to this server function came back with.
pub(super) fn posted_error(path: &str) -> Option<AppError> {
    use_context::<ServerActionError>()
        .filter(|e| e.path() == path)
        .map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()))
}

/// A form that may carry a file: posted as multipart, by the browser without JavaScript and by
/// the page's navigation with it (which shows the answer in place).
#[component]
pub fn UploadForm(action: &'static str, children: Children) -> impl IntoView {
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="form" novalidate=true target=crate::frame::stay()>
            {children()}
        </form>
    }
}

/// The error an upload form came back with.
pub fn upload_error(path: &'static str) -> Signal<Option<AppError>> {
    let posted = posted_error(path);
    Signal::derive(move || posted.clone())
}

/// The fields of an adhesion, for a newcomer's sign-up, the organisation's own page and the
/// coordinators' edit.
#[component]
pub fn DetailsFields(
    form: JoinForm,
    draft: Draft,
    error: Signal<Option<AppError>>,
    newcomer: bool,
    #[prop(optional)] has_logo: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = chosen_commitments(error, &draft);
    view! {
        {organisation_fields(i18n, &form, &draft, error)}
        {people_fields(i18n, &draft, error, newcomer)}
        {commitment_choices(i18n, &form, chosen, error)}
        {listing_fields(i18n, &draft, error, newcomer, has_logo)}
    }
}

/// The commitments to tick: as they were sent after a refusal, otherwise as stored.
fn chosen_commitments(error: Signal<Option<AppError>>, draft: &Draft) -> Vec<i64> {
    let kept = error
        .get_untracked()
        .and_then(|e| e.invalid().cloned())
        .filter(|i| !i.values.is_empty());
    match &kept {
        Some(i) => i
            .value("commitments")
            .unwrap_or_default()
            .split(',')
            .filter_map(|v| v.trim().parse().ok())
            .collect(),
        None => draft.commitments.clone(),
    }
}

/// The problem the last refusal found with a field, following the error.
fn problem_of_field(
    error: Signal<Option<AppError>>,
    name: &'static str,
) -> impl Fn() -> Option<crate::Problem> + Copy + Send + Sync + 'static {
    move || {
        error
            .get()
            .and_then(|e| e.invalid().and_then(|i| i.problem(name)))
    }
}

/// A choice to make, led by "choose…".
fn choices(i18n: I18n, rest: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), t_string!(i18n, choose).to_owned())];
    options.extend(rest);
    options
}

fn organisation_fields(
    i18n: I18n,
    form: &JoinForm,
    draft: &Draft,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let legal_forms = Signal::derive(move || {
        choices(
            i18n,
            domain::LegalForm::ALL
                .iter()
                .map(|f| (f.as_str().to_owned(), legal_form_label(i18n, f.as_str()))),
        )
    });
    let sectors = {
        let sectors = form.sectors.clone();
        Signal::derive(move || {
            choices(
                i18n,
                sectors.iter().map(|s| {
                    (
                        s.slug.clone(),
                        s.name.get(i18n.get_locale().as_str()).to_owned(),
                    )
                }),
            )
        })
    };
    // Where the organisation can read its coordinates off a map (no address leaves this site
    // unless the person types it there): OpenStreetMap, around the city.
    let find_on_map = format!(
        "https://www.openstreetmap.org/search?query={}",
        form_urlencoded::byte_serialize(
            format!("{}, {}", form.city.name.get("en"), form.city.country).as_bytes()
        )
        .collect::<String>()
    );
    view! {
        <fieldset>
            <legend>{t!(i18n, pact_about_organisation)}</legend>
            <Field name="organisation" label=text!(i18n, field_organisation_name) kind=Kind::Text autocomplete="organization" required=true value=draft.organisation.clone() error />
            <Select name="legal_form" label=text!(i18n, field_legal_form) options=legal_forms value=draft.legal_form.clone() error />
            {(!form.sectors.is_empty()).then(|| view! {
                <Select name="sector" label=text!(i18n, field_sector) options=sectors value=draft.sector.clone() error />
            })}
            <Field name="tax_code" label=text!(i18n, field_tax_code) hint=text!(i18n, field_tax_code_hint) kind=Kind::Text value=draft.tax_code.clone() error />
            <Field name="address" label=text!(i18n, field_address) kind=Kind::Text autocomplete="address-line1" required=true value=draft.address.clone() error />
            <fieldset class="position">
                <legend>{t!(i18n, field_position)}</legend>
                <p class="field-hint">
                    {t!(i18n, field_position_hint)} " "
                    <a href=find_on_map target="_blank" rel="external noopener">{t!(i18n, field_position_find)}</a>
                </p>
                <Field name="latitude" label=text!(i18n, field_latitude) kind=Kind::Text value=draft.latitude.clone() error />
                <Field name="longitude" label=text!(i18n, field_longitude) kind=Kind::Text value=draft.longitude.clone() error />
            </fieldset>
            <Field name="website" label=text!(i18n, field_website) kind=Kind::Url autocomplete="url" value=draft.website.clone() error />
        </fieldset>
    }
}

fn people_fields(
    i18n: I18n,
    draft: &Draft,
    error: Signal<Option<AppError>>,
    newcomer: bool,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{t!(i18n, pact_about_people)}</legend>
            <Field name="contact_name" label=text!(i18n, field_contact_name) kind=Kind::Text autocomplete="name" required=true value=draft.contact_name.clone() error />
            {if newcomer {
                view! { <Field name="email" label=text!(i18n, field_email) hint=text!(i18n, field_pact_email_hint) kind=Kind::Email autocomplete="email" required=true value=draft.email.clone() error /> }.into_any()
            } else {
                view! { <p><strong>{t!(i18n, field_email)}</strong> ": " {draft.email.clone()}</p> }.into_any()
            }}
            <Field name="phone" label=text!(i18n, field_phone_optional) kind=Kind::Text autocomplete="tel" value=draft.phone.clone() error />
            <Field name="representative" label=text!(i18n, field_representative) kind=Kind::Text required=true value=draft.representative.clone() error />
            {newcomer.then(|| view! {
                <Check name="authority" label=text!(i18n, field_authority) checked=false error />
            })}
        </fieldset>
    }
}

fn commitment_choices(
    i18n: I18n,
    form: &JoinForm,
    chosen: Vec<i64>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let commitments_problem = problem_of_field(error, "commitments");
    view! {
        <fieldset class="choices" aria-describedby="field-commitments-error">
            <legend>{t!(i18n, pact_choose_commitments)}</legend>
            {form.commitments.iter().map(|c| {
                let id = format!("commitment-{}", c.id);
                let checked = chosen.contains(&c.id);
                view! {
                    <div class="field field--check">
                        <input id=id.clone() type="checkbox" name="commitments[]" value=c.id.to_string() checked=checked />
                        <label for=id>{in_lang(i18n, c.label.clone())}</label>
                    </div>
                }
            }).collect_view()}
            <p class="field-error" id="field-commitments-error">{move || commitments_problem().map(|p| problem_text(i18n, p))}</p>
        </fieldset>
    }
}

fn listing_fields(
    i18n: I18n,
    draft: &Draft,
    error: Signal<Option<AppError>>,
    newcomer: bool,
    has_logo: bool,
) -> impl IntoView {
    let logo_problem = problem_of_field(error, "logo");
    view! {
        <fieldset>
            <legend>{t!(i18n, pact_about_listing)}</legend>
            <Check name="listed" label=text!(i18n, field_listed) checked=draft.listed error />
            <div class="field" class:field--invalid=move || logo_problem().is_some()>
                <label for="field-logo">{t!(i18n, field_logo)}</label>
                <p class="field-hint" id="field-logo-hint">{t!(i18n, field_logo_hint)}</p>
                <input
                    id="field-logo"
                    name="logo"
                    type="file"
                    accept="image/png,image/jpeg,image/webp,image/gif"
                    aria-invalid=move || logo_problem().is_some().then_some("true")
                    aria-describedby="field-logo-hint field-logo-error"
                />
                <p class="field-error" id="field-logo-error">{move || logo_problem().map(|p| problem_text(i18n, p))}</p>
            </div>
            {has_logo.then(|| view! { <Check name="remove_logo" label=text!(i18n, field_remove_logo) checked=false error /> })}
            {newcomer.then(|| view! {
                <Check name="privacy" label=text!(i18n, field_privacy) checked=false error />
                <p class="field-hint">{t!(i18n, pact_privacy_notice)}</p>
            })}
        </fieldset>
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let form = Resource::new(
        move || (i18n.get_locale().as_str().to_owned(), slug()),
        |(lang, slug)| get_join_form(lang, slug),
    );
    let done = move || query.read().get("done").is_some();
    view! {
        <PageMeta title=text!(i18n, pact_join_title) description=text!(i18n, pact_join_intro) />
        <div class="narrow">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(f) if done() => view! { <JoinDone f /> }.into_any(),
                        Ok(f) => view! { <JoinFormView f /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub(super) fn JoinDone(f: JoinForm) -> impl IntoView {
    let i18n = use_i18n();
    let slug = f.city.slug.clone();
    view! {
        <h1>{t!(i18n, pact_join_title)}</h1>
        <p class="notice" role="status">{t!(i18n, pact_check_mail)}</p>
        <p>{t!(i18n, pact_check_mail_more)}</p>
        <ul class="link-list">
            <li><a href=link_to(i18n, format!("cities/{slug}/pact/resend"))>{t!(i18n, pact_resend_link)}</a></li>
            <li><a href=link_to(i18n, format!("cities/{slug}/pact"))>{t!(i18n, pact_back)}</a></li>
        </ul>
    }
}

#[component]
pub(super) fn JoinFormView(f: JoinForm) -> impl IntoView {
    let i18n = use_i18n();
    let error = upload_error(JOIN_PATH);
    let slug = StoredValue::new(f.city.slug.clone());
    let city = f.city.name.clone();
    let title = f.title.clone();
    let open = f.version.is_some();
    view! {
        <h1>{t!(i18n, pact_join_title)}</h1>
        <p class="lead">
            {in_lang(i18n, title)} " · " <a href=link_to(i18n, format!("cities/{}/pact", slug.get_value()))>{in_lang(i18n, city)}</a>
        </p>
        {if open {
            view! {
                <p>{t!(i18n, pact_join_intro)}</p>
                <p class="muted">{t!(i18n, pact_required_note)}</p>
                <UploadForm action=JOIN_PATH>
                    <LangInput />
                    <input type="hidden" name="slug" value=slug.get_value() />
                    <FormAlert error />
                    <DetailsFields form=f.clone() draft=Draft::default() error newcomer=true />
                    // Hidden from people (and from assistive technology); bots fill it in.
                    <div class="trap" aria-hidden="true">
                        <label for="field-homepage">"Homepage"</label>
                        <input id="field-homepage" name="homepage" type="text" tabindex="-1" autocomplete="off" />
                    </div>
                    <button type="submit" class="button">{t!(i18n, pact_join_submit)}</button>
                </UploadForm>
                <p><a href=link_to(i18n, format!("cities/{}/pact/resend", slug.get_value()))>{t!(i18n, pact_resend_link)}</a></p>
            }.into_any()
        } else {
            view! { <p>{t!(i18n, problem_pact_closed)}</p> }.into_any()
        }}
    }
}

#[component]
pub fn ResendPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let action = ServerAction::<ResendLinks>::new();
    let error = error_of(action);
    let done = move || query.read().get("done");
    view! {
        <PageMeta title=text!(i18n, pact_resend_title) description=text!(i18n, pact_resend_intro) />
        <Meta name="robots" content="noindex" />
        <div class="narrow">
            <h1>{t!(i18n, pact_resend_title)}</h1>
            <div role="status">
                {move || done().map(|d| {
                    let text = match d.as_str() {
                        "link-replaced" => t_string!(i18n, adhesion_link_replaced),
                        _ => t_string!(i18n, pact_resend_done),
                    };
                    view! { <p class="notice">{text}</p> }
                })}
            </div>
            <p>{t!(i18n, pact_resend_intro)}</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <LangInput />
                <input type="hidden" name="slug" value=slug />
                <FormAlert error />
                <Field name="email" label=text!(i18n, field_email) kind=Kind::Email autocomplete="email" required=true error />
                <button type="submit" class="button">{t!(i18n, pact_resend_submit)}</button>
            </ActionForm>
            <p><a href=move || link_to(i18n, format!("cities/{}/pact", slug()))()>{t!(i18n, pact_back)}</a></p>
        </div>
    }
}

/// Where a confirmation link lands: a button confirms (mail scanners that follow links must not
/// confirm on their own).
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    // A personal link: its page is nobody else's, and is kept by no cache.
    private_page();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmAdhesion>::new();
    let state = Resource::new(
        move || (i18n.get_locale().as_str().to_owned(), token()),
        |(lang, token)| get_confirmation(lang, token),
    );
    view! {
        <PageMeta title=text!(i18n, pact_confirm_title) description=text!(i18n, pact_confirm_title) />
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <div class="narrow">
            <h1>{t!(i18n, pact_confirm_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(c) => view! { <ConfirmBody c token=token() confirm /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub(super) fn ConfirmBody(
    c: Confirmation,
    token: String,
    confirm: ServerAction<ConfirmAdhesion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(confirm);
    let resend = c
        .city
        .as_ref()
        .map(|city| link_to(i18n, format!("cities/{}/pact/resend", city.slug)));
    let organisation = c.organisation.clone();
    let title = c.title.clone();
    match c.state {
        LinkState::Ready => view! {
            <p>{t!(i18n, pact_confirm_intro, organisation = move || organisation.clone())} " " <strong>{in_lang(i18n, title)}</strong></p>
            <ActionForm action=confirm attr:class="form">
                <LangInput />
                <input type="hidden" name="token" value=token />
                <FormAlert error />
                <button type="submit" class="button">{t!(i18n, pact_confirm_submit)}</button>
            </ActionForm>
        }.into_any(),
        LinkState::Used => view! {
            <p class="notice">{t!(i18n, pact_confirm_used)}</p>
            {resend.map(|href| view! { <p><a href=href>{t!(i18n, pact_resend_link)}</a></p> })}
        }.into_any(),
        LinkState::Expired => view! {
            <p class="notice notice--alert">{t!(i18n, problem_link_expired)}</p>
            {resend.map(|href| view! { <p><a href=href>{t!(i18n, pact_resend_link)}</a></p> })}
        }.into_any(),
        LinkState::Unknown => view! { <UnknownLink /> }.into_any(),
    }
}
