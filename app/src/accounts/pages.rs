//! The account pages: sign-in, forgotten password, the pages mailed links open, and one's own
//! account (password, e-mail address, sign-out).

use super::*;
use crate::forms::{error_of, Field, FormAlert, Kind, LangInput};
use crate::i18n::*;
use crate::layout::{link_to, private_page, ErrorContent, PageMeta};
use leptos::form::ActionForm;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

/// A short notice chosen by the `done` query parameter after a redirect.
fn done_notice(i18n: I18n) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let locale = i18n.get_locale();
        let text = match query.read().get("done").as_deref() {
            Some("reset") => td_string!(locale, notice_password_reset),
            Some("signed-out") => td_string!(locale, notice_signed_out),
            Some("email") => td_string!(locale, notice_email_changed),
            Some("password") => td_string!(locale, notice_password_changed),
            Some("email-sent") => td_string!(locale, notice_email_sent),
            Some("saved") => td_string!(locale, notice_saved),
            Some("granted") => td_string!(locale, notice_granted),
            Some("revoked") => td_string!(locale, notice_revoked),
            Some("deleted") => td_string!(locale, notice_deleted),
            Some("cancelled") => td_string!(locale, notice_cancelled),
            Some("moved") => td_string!(locale, notice_moved),
            Some("reinstated") => td_string!(locale, notice_reinstated),
            Some("seated") => td_string!(locale, notice_seated),
            Some("removed") => td_string!(locale, notice_removed),
            Some("attendance") => td_string!(locale, notice_attendance),
            Some("sent") => td_string!(locale, notice_sent),
            _ => return None,
        };
        Some(text.to_string())
    }
}

use crate::layout::I18n;

#[component]
pub fn Notice() -> impl IntoView {
    let i18n = use_i18n();
    let notice = done_notice(i18n);
    view! {
        <div role="status" class="notice-region">
            {move || notice().map(|n| view! { <p class="notice">{n}</p> })}
        </div>
    }
}

#[component]
fn NoIndex() -> impl IntoView {
    view! { <Meta name="robots" content="noindex" /> }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let error = error_of(action);
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, sign_in_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, sign_in_intro).to_owned())
        />
        <NoIndex />
        <div class="narrow">
            <h1>{t!(i18n, sign_in_title)}</h1>
            <Notice />
            <p>{t!(i18n, sign_in_intro)}</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <LangInput />
                <FormAlert error />
                <Field
                    name="email"
                    label=Signal::derive(move || t_string!(i18n, field_email).to_owned())
                    kind=Kind::Email
                    autocomplete="username"
                    required=true
                    error
                />
                <Field
                    name="password"
                    label=Signal::derive(move || t_string!(i18n, field_password).to_owned())
                    kind=Kind::Password
                    autocomplete="current-password"
                    required=true
                    error
                />
                <button type="submit" class="button">{t!(i18n, sign_in_submit)}</button>
            </ActionForm>
            <p><a href=link_to(i18n, "account/reset")>{t!(i18n, sign_in_forgot)}</a></p>
        </div>
    }
}

#[component]
pub fn ResetRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestReset>::new();
    let error = error_of(action);
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, reset_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, reset_intro).to_owned())
        />
        <NoIndex />
        <div class="narrow">
            <h1>{t!(i18n, reset_title)}</h1>
            <div role="status">
                <Show when=sent>
                    <p class="notice">{t!(i18n, reset_sent)}</p>
                </Show>
            </div>
            <p>{t!(i18n, reset_intro)}</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <LangInput />
                <FormAlert error />
                <Field
                    name="email"
                    label=Signal::derive(move || t_string!(i18n, field_email).to_owned())
                    kind=Kind::Email
                    autocomplete="email"
                    required=true
                    error
                />
                <button type="submit" class="button">{t!(i18n, reset_submit)}</button>
            </ActionForm>
            <p><a href=link_to(i18n, "account/sign-in")>{t!(i18n, back_to_sign_in)}</a></p>
        </div>
    }
}

/// The page a mailed link opens: checks the link, then shows `form` (which posts the token).
#[component]
fn LinkPage(
    purpose: TokenPurpose,
    #[prop(into)] title: Signal<String>,
    form: fn(String) -> AnyView,
) -> impl IntoView {
    let i18n = use_i18n();
    // A personal link: its page is nobody else's, and is kept by no cache.
    private_page();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let valid = Resource::new(token, move |t| link_valid(t, purpose));
    view! {
        <PageMeta title=title description=title />
        <NoIndex />
        <div class="narrow">
            <h1>{move || title.get()}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match valid.await {
                        Ok(true) => form(token()),
                        Ok(false) => view! { <LinkInvalid /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn LinkInvalid() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-alert" role="alert">
            <p>{t!(i18n, problem_link)}</p>
            <p><a href=link_to(i18n, "account/reset")>{t!(i18n, link_request_new)}</a></p>
        </div>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LinkPage
            purpose=TokenPurpose::Reset
            title=Signal::derive(move || t_string!(i18n, new_password_title).to_owned())
            form=|token| view! { <ResetForm token /> }.into_any()
        />
    }
}

#[component]
fn ResetForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let error = error_of(action);
    view! {
        <ActionForm action attr:class="form" attr:novalidate=true>
            <LangInput />
            <input type="hidden" name="token" value=token />
            <FormAlert error />
            <NewPasswordFields error />
            <button type="submit" class="button">{t!(i18n, new_password_submit)}</button>
        </ActionForm>
    }
}

#[component]
fn NewPasswordFields(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Field
            name="password"
            label=Signal::derive(move || t_string!(i18n, field_new_password).to_owned())
            hint=Signal::derive(move || t_string!(i18n, field_new_password_hint).to_owned())
            kind=Kind::Password
            autocomplete="new-password"
            required=true
            error
        />
        <Field
            name="confirm"
            label=Signal::derive(move || t_string!(i18n, field_confirm_password).to_owned())
            kind=Kind::Password
            autocomplete="new-password"
            required=true
            error
        />
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LinkPage
            purpose=TokenPurpose::Invite
            title=Signal::derive(move || t_string!(i18n, invitation_title).to_owned())
            form=|token| view! { <InvitationForm token /> }.into_any()
        />
    }
}

#[component]
fn InvitationForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AcceptInvitation>::new();
    let error = error_of(action);
    view! {
        <p>{t!(i18n, invitation_intro)}</p>
        <ActionForm action attr:class="form" attr:novalidate=true>
            <LangInput />
            <input type="hidden" name="token" value=token />
            <FormAlert error />
            <Field
                name="name"
                label=Signal::derive(move || t_string!(i18n, field_name).to_owned())
                kind=Kind::Text
                autocomplete="name"
                required=true
                error
            />
            <NewPasswordFields error />
            <button type="submit" class="button">{t!(i18n, invitation_submit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn EmailConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <LinkPage
            purpose=TokenPurpose::Email
            title=Signal::derive(move || t_string!(i18n, email_confirm_title).to_owned())
            form=|token| view! { <EmailConfirmForm token /> }.into_any()
        />
    }
}

#[component]
fn EmailConfirmForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmEmail>::new();
    let error = error_of(action);
    // A button, not the link itself, changes the address: mail scanners follow links.
    view! {
        <ActionForm action attr:class="form">
            <LangInput />
            <input type="hidden" name="token" value=token />
            <FormAlert error />
            <button type="submit" class="button">{t!(i18n, email_confirm_submit)}</button>
        </ActionForm>
    }
}

/// Signed in: who you are, sign out, change password or address. Others are asked to sign in.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| current_user());
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, account_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, account_title).to_owned())
        />
        <NoIndex />
        <div class="narrow">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(me)) => view! { <AccountView me /> }.into_any(),
                        Ok(None) => view! { <ErrorContent error=AppError::Unauthorized /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn AccountView(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let password = ServerAction::<ChangePassword>::new();
    let password_error = error_of(password);
    let email = ServerAction::<ChangeEmail>::new();
    let email_error = error_of(email);
    view! {
        <h1>{t!(i18n, account_title)}</h1>
        <Notice />
        <p>{me.name.clone()} " · " {me.email.clone()}</p>
        <p><a href=link_to(i18n, "coordinate")>{t!(i18n, dashboard_title)}</a></p>
        <SignOutForm />

        <h2>{t!(i18n, change_password_title)}</h2>
        <ActionForm action=password attr:class="form" attr:novalidate=true>
            <LangInput />
            <FormAlert error=password_error />
            <Field
                name="current"
                label=Signal::derive(move || t_string!(i18n, field_current_password).to_owned())
                kind=Kind::Password
                autocomplete="current-password"
                required=true
                error=password_error
            />
            <NewPasswordFields error=password_error />
            <button type="submit" class="button">{t!(i18n, change_password_submit)}</button>
        </ActionForm>

        <h2>{t!(i18n, change_email_title)}</h2>
        <p>{t!(i18n, change_email_intro)}</p>
        <ActionForm action=email attr:class="form" attr:novalidate=true>
            <LangInput />
            <FormAlert error=email_error />
            <Field
                name="email"
                label=Signal::derive(move || t_string!(i18n, field_new_email).to_owned())
                kind=Kind::Email
                autocomplete="email"
                required=true
                error=email_error
            />
            <Field
                name="current"
                label=Signal::derive(move || t_string!(i18n, field_current_password).to_owned())
                kind=Kind::Password
                autocomplete="current-password"
                required=true
                error=email_error
            />
            <button type="submit" class="button">{t!(i18n, change_email_submit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn SignOutForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="inline-form">
            <LangInput />
            <button type="submit" class="button button--secondary">{t!(i18n, sign_out)}</button>
        </ActionForm>
    }
}
