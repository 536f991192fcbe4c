//! A registration through its personal link: where it stands, cancelling it, and a new link.

use super::*;

/// The page a registrant's personal link opens: confirm, see the link, add to calendar, cancel.
#[component]
pub fn RegistrationPage() -> impl IntoView {
    let i18n = use_i18n();
    // A personal link: its page is nobody else's, and is kept by no cache.
    private_page();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmRegistration>::new();
    let cancel = ServerAction::<CancelRegistration>::new();
    let registration = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                token(),
                confirm.version().get(),
                cancel.version().get(),
            )
        },
        |(lang, token, _, _)| get_registration(lang, token),
    );
    let done = move || query.read().get("done");
    // The first step of cancelling: the page asks before anything happens.
    let asking = move || query.read().get("confirm").as_deref() == Some("cancel");
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, registration_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, registration_title).to_owned())
        />
        <Meta name="robots" content="noindex" />
        // The URL carries the personal token: other sites (the meeting's video service) never
        // see it. Not `no-referrer`: that would send `Origin: null` with this page's own forms,
        // which the server refuses as cross-site.
        <Meta name="referrer" content="same-origin" />
        <div class="narrow">
            <h1>{t!(i18n, registration_title)}</h1>
            <div role="status">
                {move || done().map(|d| {
                    let text = match d.as_str() {
                        "cancelled" => t_string!(i18n, registration_done_cancelled),
                        "waiting" => t_string!(i18n, registration_done_waiting),
                        _ => t_string!(i18n, registration_done_confirmed),
                    };
                    view! { <p class="notice">{text}</p> }
                })}
            </div>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match registration.await {
                        Ok(r) if asking() && live(r.status) => {
                            view! { <CancelQuestion r token=token() cancel /> }.into_any()
                        }
                        Ok(r) => view! { <RegistrationDetail r token=token() confirm cancel /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub(super) fn RegistrationDetail(
    r: RegistrationView,
    token: String,
    confirm: ServerAction<ConfirmRegistration>,
    cancel: ServerAction<CancelRegistration>,
) -> impl IntoView {
    let i18n = use_i18n();
    let m = r.meeting.clone();
    // The venue's name, then its address, as the meeting's page gives them.
    let place = [m.place.clone(), r.address.clone()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let href = link_to(i18n, format!("meetings/{}", m.id));
    let confirm_error = error_of(confirm);
    let cancel_error = error_of(cancel);
    let status_text = {
        let position = r.position.unwrap_or(0);
        move || match r.status {
            RegistrationStatus::Pending => t_string!(i18n, registration_pending).to_owned(),
            RegistrationStatus::Confirmed => t_string!(i18n, registration_confirmed).to_owned(),
            RegistrationStatus::Waiting => {
                td_string!(i18n.get_locale(), registration_waiting, position = position).to_string()
            }
            RegistrationStatus::Cancelled => t_string!(i18n, registration_cancelled).to_owned(),
        }
    };
    let live = live(r.status);
    let token_for_ics = token.clone();
    let token_for_replace = token.clone();
    view! {
        <h2><a href=href>{m.title.clone()}</a></h2>
        <p>{m.starts.date.clone()} ", " {m.starts.time.clone()} "–" {m.ends.time.clone()} " (" {zone_label(i18n, m.timezone.clone())} ")"</p>
        <p class="registration-status"><strong>{status_text}</strong></p>
        <dl class="facts">
            <div><dt>{t!(i18n, field_name)}</dt><dd>{r.name.clone()}</dd></div>
            <div><dt>{t!(i18n, field_email)}</dt><dd>{r.email.clone()}</dd></div>
            {(!r.organisation.is_empty()).then(|| view! {
                <div><dt>{t!(i18n, field_organisation)}</dt><dd>{r.organisation.clone()}</dd></div>
            })}
            {r.online_link.clone().map(|url| view! {
                <div><dt>{t!(i18n, registration_online_link)}</dt><dd><a href=url.clone() rel="external noopener">{url.clone()}</a></dd></div>
            })}
            {(r.status == RegistrationStatus::Confirmed && !place.is_empty()).then(|| view! {
                <div><dt>{t!(i18n, meeting_where)}</dt><dd>{place.clone()}</dd></div>
            })}
        </dl>
        {(r.status == RegistrationStatus::Pending).then(|| {
            let token = token.clone();
            view! {
                <ActionForm action=confirm attr:class="form">
                    <LangInput />
                    <input type="hidden" name="token" value=token />
                    <FormAlert error=confirm_error />
                    <button type="submit" class="button">{t!(i18n, registration_confirm)}</button>
                </ActionForm>
            }
        })}
        {(r.status == RegistrationStatus::Confirmed).then(|| view! {
            <p>
                <a href=format!("/feeds/registration.ics?token={token_for_ics}") download="meeting.ics">
                    {t!(i18n, meeting_download_ics)}
                </a>
            </p>
        })}
        // Only asks: the page that answers says what cancelling does and holds the real button.
        {live.then(|| view! {
            <form method="get" action=link_to(i18n, "registration") class="form">
                <input type="hidden" name="token" value=token.clone() />
                <input type="hidden" name="confirm" value="cancel" />
                <FormAlert error=cancel_error />
                <button type="submit" class="button button--secondary">{t!(i18n, registration_cancel)}</button>
            </form>
        })}
        {live.then(|| view! { <ReplaceLink token=token_for_replace /> })}
    }
}

/// Whether a registration can still be cancelled.
pub(super) fn live(status: RegistrationStatus) -> bool {
    matches!(
        status,
        RegistrationStatus::Confirmed | RegistrationStatus::Waiting | RegistrationStatus::Pending
    )
}

/// The second step of cancelling, as its own page: what it does, the button that does it, and
/// the way back, so that one tap never gives a seat away.
#[component]
pub(super) fn CancelQuestion(
    r: RegistrationView,
    token: String,
    cancel: ServerAction<CancelRegistration>,
) -> impl IntoView {
    let i18n = use_i18n();
    let m = r.meeting.clone();
    let error = error_of(cancel);
    let back = {
        let token = token.clone();
        move || format!("{}?token={token}", link_to(i18n, "registration")())
    };
    view! {
        <section class="confirm-step" aria-labelledby="cancel-question">
            <h2 id="cancel-question">{t!(i18n, registration_cancel_question)}</h2>
            <p><strong>{m.title.clone()}</strong></p>
            <p>{m.starts.date.clone()} ", " {m.starts.time.clone()} "–" {m.ends.time.clone()} " (" {zone_label(i18n, m.timezone.clone())} ")"</p>
            <p>{t!(i18n, registration_cancel_consequence)}</p>
            <ActionForm action=cancel attr:class="form">
                <LangInput />
                <input type="hidden" name="token" value=token />
                <FormAlert error />
                <button type="submit" class="button">{t!(i18n, registration_cancel_yes)}</button>
            </ActionForm>
            <p><a href=back>{t!(i18n, registration_cancel_keep)}</a></p>
        </section>
    }
}

/// For a link that reached someone else: a new one goes to the registration's address.
#[component]
pub(super) fn ReplaceLink(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let replace = ServerAction::<ReplaceRegistrationLink>::new();
    let error = error_of(replace);
    view! {
        <details class="replace-link">
            <summary>{t!(i18n, registration_replace_summary)}</summary>
            <p>{t!(i18n, registration_replace_text)}</p>
            <ActionForm action=replace attr:class="form">
                <LangInput />
                <input type="hidden" name="token" value=token />
                <FormAlert error />
                <button type="submit" class="button button--secondary">{t!(i18n, registration_replace_submit)}</button>
            </ActionForm>
        </details>
    }
}
