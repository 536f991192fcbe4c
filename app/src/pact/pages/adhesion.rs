//! An adhesion through its organisation's personal link.

use super::*;

/// The organisation's personal page (its link came by mail): where it stands, its details to
/// change, its data to download, and withdrawal.
#[component]
pub fn AdhesionPage() -> impl IntoView {
    let i18n = use_i18n();
    // A personal link: its page is nobody else's, and is kept by no cache.
    private_page();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let withdraw = ServerAction::<WithdrawAdhesion>::new();
    let adhesion = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                token(),
                withdraw.version().get(),
            )
        },
        |(lang, token, _)| get_adhesion(lang, token),
    );
    let done = move || query.read().get("done");
    view! {
        <PageMeta title=text!(i18n, adhesion_title) description=text!(i18n, adhesion_title) />
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <div class="narrow">
            <h1>{t!(i18n, adhesion_title)}</h1>
            <div role="status">
                {move || done().map(|d| {
                    let text = match d.as_str() {
                        "withdrawn" => t_string!(i18n, adhesion_done_withdrawn),
                        "saved" => t_string!(i18n, notice_saved),
                        _ => t_string!(i18n, adhesion_done_confirmed),
                    };
                    view! { <p class="notice">{text}</p> }
                })}
            </div>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match adhesion.await {
                        Ok(a) => view! { <AdhesionBody a token=token() withdraw /> }.into_any(),
                        Err(e) if e.invalid().is_some() => view! { <UnknownLink /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub(super) fn AdhesionBody(
    a: AdhesionView,
    token: String,
    withdraw: ServerAction<WithdrawAdhesion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = a.status;
    let error = upload_error(UPDATE_PATH);
    let withdraw_error = error_of(withdraw);
    let slug = a.city.slug.clone();
    let live = status.is_live();
    let reason = a.reason.clone();
    let version = a.version;
    let submitted = a.submitted.to_string();
    let certificate = (status == AdhesionStatus::Approved && a.draft.listed)
        .then(|| link_to(i18n, format!("cities/{slug}/pact/adherents/{}", a.id)));
    let explanation = move || {
        let locale = i18n.get_locale();
        match status {
            AdhesionStatus::Unconfirmed | AdhesionStatus::Pending => {
                td_string!(locale, adhesion_pending_text)
            }
            AdhesionStatus::Approved => td_string!(locale, adhesion_approved_text),
            AdhesionStatus::Rejected => td_string!(locale, adhesion_rejected_text),
            AdhesionStatus::Withdrawn => td_string!(locale, adhesion_withdrawn_text),
        }
    };
    view! {
        <p class="lead"><strong>{a.draft.organisation.clone()}</strong> " · " {in_lang(i18n, a.title.clone())} " · " {in_lang(i18n, a.city.name.clone())}</p>
        <dl class="facts">
            <div><dt>{t!(i18n, adhesion_status)}</dt><dd><strong>{move || status_label(i18n, status)}</strong></dd></div>
            <div><dt>{t!(i18n, adhesion_version)}</dt><dd>{version}</dd></div>
            <div><dt>{t!(i18n, adhesion_submitted)}</dt><dd>{submitted}</dd></div>
        </dl>
        <p>{explanation}</p>
        {(status == AdhesionStatus::Rejected && !reason.is_empty()).then(|| view! {
            <p><strong>{t!(i18n, adhesion_reason)}</strong> ": " {reason.clone()}</p>
        })}
        {certificate.map(|href| view! { <p><a href=href>{t!(i18n, adhesion_certificate_link)}</a></p> })}
        <p><a href=format!("/pact/adhesion.json?token={token}") download="adhesion.json">{t!(i18n, adhesion_download)}</a></p>
        {live.then(|| {
            let token = StoredValue::new(token.clone());
            view! {
                <section aria-labelledby="details-heading">
                    <h2 id="details-heading">{t!(i18n, adhesion_details)}</h2>
                    <p>{t!(i18n, adhesion_details_intro)}</p>
                    <UploadForm action=UPDATE_PATH>
                        <LangInput />
                        <input type="hidden" name="token" value=token.get_value() />
                        <FormAlert error />
                        <DetailsFields form=a.form.clone() draft=a.draft.clone() error newcomer=false has_logo=a.has_logo />
                        <button type="submit" class="button">{t!(i18n, save)}</button>
                    </UploadForm>
                </section>
                <section aria-labelledby="withdraw-heading">
                    <h2 id="withdraw-heading">{t!(i18n, adhesion_withdraw)}</h2>
                    <p>{t!(i18n, adhesion_withdraw_intro)}</p>
                    <ActionForm action=withdraw attr:class="form">
                        <LangInput />
                        <input type="hidden" name="token" value=token.get_value() />
                        <FormAlert error=withdraw_error />
                        <Check name="confirm" label=text!(i18n, adhesion_withdraw_confirm) checked=false error=withdraw_error />
                        <button type="submit" class="button button--danger">{t!(i18n, adhesion_withdraw_submit)}</button>
                    </ActionForm>
                </section>
            }
        })}
        <ReplaceLink token />
    }
}

/// For a link that reached someone else: a new one goes to the adhesion's contact address.
#[component]
pub(super) fn ReplaceLink(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let replace = ServerAction::<ReplaceAdhesionLink>::new();
    let error = error_of(replace);
    view! {
        <details class="replace-link">
            <summary>{t!(i18n, adhesion_replace_summary)}</summary>
            <p>{t!(i18n, adhesion_replace_text)}</p>
            <ActionForm action=replace attr:class="form">
                <LangInput />
                <input type="hidden" name="token" value=token />
                <FormAlert error />
                <button type="submit" class="button button--secondary">{t!(i18n, registration_replace_submit)}</button>
            </ActionForm>
        </details>
    }
}

/// What a page reached by a personal link shows when the link is unknown, used up or replaced:
/// a 404, as for any address that leads nowhere.
#[component]
pub(super) fn UnknownLink() -> impl IntoView {
    let i18n = use_i18n();
    crate::layout::set_status(http::StatusCode::NOT_FOUND);
    view! { <p class="notice notice--alert">{t!(i18n, problem_link)}</p> }
}
