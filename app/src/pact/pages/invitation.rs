//! An invitation to a meeting of the coordination table, accepted in one click.

use super::*;

/// Where an invitation of the coordination table lands: one click registers the organisation's
/// contact for the meeting's upcoming dates.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    // A personal link: its page is nobody else's, and is kept by no cache.
    private_page();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let accept = ServerAction::<AcceptInvitation>::new();
    let invitation = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                token(),
                accept.version().get(),
            )
        },
        |(lang, token, _)| get_invitation(lang, token),
    );
    let done = move || query.read().get("done").is_some();
    view! {
        <PageMeta title=text!(i18n, table_invitation_title) description=text!(i18n, table_invitation_title) />
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <div class="narrow">
            <h1>{t!(i18n, table_invitation_title)}</h1>
            <div role="status">
                {move || done().then(|| view! { <p class="notice">{t!(i18n, table_invitation_done)}</p> })}
            </div>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match invitation.await {
                        Ok(v) => view! { <InvitationBody v token=token() accept /> }.into_any(),
                        Err(e) if e.invalid().is_some() => view! { <UnknownLink /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub(super) fn InvitationBody(
    v: InvitationView,
    token: String,
    accept: ServerAction<AcceptInvitation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(accept);
    let organisation = v.organisation.clone();
    let contact = v.contact_name.clone();
    let meeting = link_to(
        i18n,
        format!(
            "meetings/{}",
            v.dates.first().map(|d| d.occurrence).unwrap_or_default()
        ),
    );
    view! {
        <p>{t!(i18n, table_invitation_intro, organisation = move || organisation.clone(), name = move || contact.clone())}</p>
        <h2><a href=meeting>{v.title.clone()}</a></h2>
        {if v.dates.is_empty() {
            view! { <p>{t!(i18n, table_invitation_no_dates)}</p> }.into_any()
        } else {
            view! {
                <ul>{v.dates.iter().map(|d| view! { <li>{d.when.clone()}</li> }).collect_view()}</ul>
                {if v.accepted {
                    view! { <p class="notice">{t!(i18n, table_invitation_accepted)}</p> }.into_any()
                } else {
                    view! {
                        <ActionForm action=accept attr:class="form">
                            <LangInput />
                            <input type="hidden" name="token" value=token />
                            <FormAlert error />
                            <button type="submit" class="button">{t!(i18n, table_invitation_accept)}</button>
                        </ActionForm>
                    }.into_any()
                }}
            }.into_any()
        }}
    }
}
