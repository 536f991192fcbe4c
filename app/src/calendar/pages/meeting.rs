//! A meeting's date: what it is, where and when, and the registration form.

use super::*;

#[component]
pub fn MeetingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let meeting = Resource::new(
        move || (i18n.get_locale().as_str().to_owned(), id()),
        |(lang, id)| get_meeting(lang, id),
    );
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match meeting.await {
                    Ok(d) => view! { <MeetingView detail=d /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(super) fn MeetingView(detail: MeetingDetail) -> impl IntoView {
    let i18n = use_i18n();
    let s = detail.summary.clone();
    let title = s.title.clone();
    let description = if detail.description_text.is_empty() {
        s.title.clone()
    } else {
        detail.description_text.chars().take(200).collect()
    };
    let ics = move || {
        format!(
            "/feeds/meetings/{}.ics?lang={}",
            s.id,
            i18n.get_locale().as_str()
        )
    };
    let query = use_query_map();
    let done = move || query.read().get("done");
    view! {
        <PageMeta
            title=Signal::derive(move || title.clone())
            description=Signal::derive(move || description.clone())
            og_type="event"
        />
        <script type="application/ld+json" inner_html=detail.json_ld.clone()></script>
        <article class="meeting-page">
            <header class="page-header">
                <h1>{s.title.clone()}</h1>
                {s.cancelled.then(|| view! { <p class="notice notice--alert">{t!(i18n, meeting_cancelled_notice)}</p> })}
            </header>
            <div role="status">
                {move || done().map(|d| {
                    let text = match d.as_str() {
                        "already" => t_string!(i18n, meeting_registered_already),
                        "link-replaced" => t_string!(i18n, meeting_link_replaced),
                        _ => t_string!(i18n, meeting_registered_check_mail),
                    };
                    view! { <p class="notice">{text}</p> }
                })}
            </div>
            <Facts detail=detail.clone() />
            <div class="description" inner_html=detail.description_html.clone()></div>
            {(!detail.next.is_empty()).then(|| view! {
                <section aria-labelledby="series-heading">
                    <h2 id="series-heading">{t!(i18n, meeting_series)}</h2>
                    <ul class="link-list">
                        {detail.next.iter().map(|(id, m)| view! {
                            <li><a href=link_to(i18n, format!("meetings/{id}"))>{m.date.clone()} ", " {m.time.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section aria-labelledby="add-heading">
                <h2 id="add-heading">{t!(i18n, meeting_add_to_calendar)}</h2>
                <ul class="link-list">
                    <li><a href=ics download="meeting.ics">{t!(i18n, meeting_download_ics)}</a></li>
                    <li><a href=detail.google.clone() rel="external noopener">"Google Calendar"</a></li>
                    <li><a href=detail.outlook.clone() rel="external noopener">"Outlook"</a></li>
                </ul>
            </section>
            <RegistrationBox detail=detail.clone() />
        </article>
    }
}

/// When and where, who organises it, for whom, and its seats.
#[component]
fn Facts(detail: MeetingDetail) -> impl IntoView {
    let i18n = use_i18n();
    let s = detail.summary.clone();
    let organiser_link = match &s.organiser {
        Organiser::City(c) => format!("cities/{}/calendar", c.slug),
        Organiser::Cluster { slug, .. } => format!("clusters/{slug}/calendar"),
    };
    let organiser = organiser_name(i18n, s.organiser.clone());
    let mode = s.mode;
    let language = s.language.clone();
    let audience = s.audience;
    let place = [s.place.clone(), detail.address.clone()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let seats = s.seats_left();
    let capacity = s.capacity;
    let waiting = detail.waiting;
    view! {
        <dl class="facts">
            <When s=s.clone() elsewhere=detail.elsewhere.clone() />
            <div>
                <dt>{t!(i18n, meeting_where)}</dt>
                <dd>
                    {move || mode_label(i18n, mode)}
                    {(!place.is_empty()).then(|| view! { ": " {place.clone()} })}
                    {mode.has_link().then(|| view! { <p class="muted">{t!(i18n, meeting_link_after_registration)}</p> })}
                </dd>
            </div>
            <div>
                <dt>{t!(i18n, meeting_organiser)}</dt>
                <dd><a href=link_to(i18n, organiser_link)>{organiser}</a></dd>
            </div>
            {s.sector.clone().map(|sector| view! {
                <div><dt>{t!(i18n, meeting_sector)}</dt><dd>{in_lang(i18n, sector.name)}</dd></div>
            })}
            <div><dt>{t!(i18n, meeting_audience)}</dt><dd>{move || audience_label(i18n, audience)}</dd></div>
            <div><dt>{t!(i18n, meeting_language)}</dt><dd>{move || language_label(i18n, &language)}</dd></div>
            {capacity.map(|c| view! {
                <div>
                    <dt>{t!(i18n, meeting_seats)}</dt>
                    <dd>
                        {t!(i18n, meeting_capacity, count = move || c)}
                        ", " {seats_left(i18n, seats.unwrap_or(0))}
                        {(waiting > 0).then(|| view! { ", " {t!(i18n, meeting_waiting, count = move || waiting)} })}
                    </dd>
                </div>
            })}
        </dl>
    }
}

/// The date's time in its own zone, in the reader's, and in the other cities of its cluster.
#[component]
fn When(s: MeetingSummary, elsewhere: Vec<(String, Moment)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div>
            <dt>{t!(i18n, meeting_when)}</dt>
            <dd>
                <time datetime=format!("{}{}", s.starts.local, s.starts.offset)>{s.starts.date.clone()} ", " {s.starts.time.clone()}</time>
                "–"
                <time datetime=format!("{}{}", s.ends.local, s.ends.offset)>{s.ends.time.clone()}</time>
                " (" {zone_label(i18n, s.timezone.clone())} ", UTC" {s.starts.offset.clone()} ")"
                // The same instant in the reader's own time zone, which only the
                // browser knows: public/navigation.js fills it in and shows it when that
                // zone is not the meeting's. A few lines of script, not WebAssembly.
                <p
                    class="viewer-time"
                    hidden
                    data-start=s.starts.epoch
                    data-end=s.ends.epoch
                    data-offset=s.starts.offset.clone()
                >
                    {t!(i18n, meeting_your_time)}
                </p>
                {(!elsewhere.is_empty()).then(|| view! {
                    <ul class="elsewhere">
                        {elsewhere.iter().map(|(city, m)| view! {
                            <li>{city.clone()} ": " {m.date.clone()} ", " {m.time.clone()}</li>
                        }).collect_view()}
                    </ul>
                })}
            </dd>
        </div>
    }
}

#[component]
pub(super) fn RegistrationBox(detail: MeetingDetail) -> impl IntoView {
    let i18n = use_i18n();
    let s = &detail.summary;
    let body = match detail.window {
        RegistrationWindow::Open | RegistrationWindow::Waitlist => {
            view! { <RegistrationForm occurrence=s.id waitlist=detail.window == RegistrationWindow::Waitlist /> }.into_any()
        }
        RegistrationWindow::NotYet => {
            let at = detail.opens.clone().map(|m| format!("{}, {}", m.date, m.time)).unwrap_or_default();
            view! { <p>{t!(i18n, meeting_registration_not_yet, at = move || at.clone())}</p> }.into_any()
        }
        RegistrationWindow::Closed => view! { <p>{t!(i18n, meeting_registration_closed)}</p> }.into_any(),
        RegistrationWindow::Cancelled => view! { <p>{t!(i18n, meeting_cancelled_notice)}</p> }.into_any(),
        RegistrationWindow::None => view! { <p>{t!(i18n, meeting_registration_none)}</p> }.into_any(),
    };
    view! {
        <section class="registration" aria-labelledby="register-heading">
            <h2 id="register-heading">{t!(i18n, meeting_register)}</h2>
            {body}
        </section>
    }
}

#[component]
pub(super) fn RegistrationForm(occurrence: i64, waitlist: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let error = error_of(action);
    let consent_problem = move || {
        error
            .get()
            .and_then(|e| e.invalid().and_then(|i| i.problem("consent")))
    };
    let consented = error
        .get_untracked()
        .and_then(|e| {
            e.invalid()
                .and_then(|i| i.value("consent").map(|v| v == "yes"))
        })
        .unwrap_or(false);
    // Rendered on the server, which knows the deployment's retention; no page hydrates.
    let days = use_context::<crate::SiteInfo>()
        .map(|s| s.registration_days)
        .unwrap_or_default();
    let retention = t_string!(
        i18n,
        field_consent_retention,
        unconfirmed = days.unconfirmed,
        after = days.after
    )
    .to_string();
    view! {
        {waitlist.then(|| view! { <p class="notice">{t!(i18n, meeting_full_waitlist)}</p> })}
        <p>{t!(i18n, meeting_register_intro)}</p>
        <ActionForm action attr:class="form" attr:novalidate=true attr:target=crate::frame::stay()>
            <LangInput />
            <input type="hidden" name="occurrence" value=occurrence.to_string() />
            <FormAlert error />
            <Field name="name" label=Signal::derive(move || t_string!(i18n, field_name).to_owned()) kind=Kind::Text autocomplete="name" required=true error />
            <Field name="email" label=Signal::derive(move || t_string!(i18n, field_email).to_owned()) kind=Kind::Email autocomplete="email" required=true error />
            <Field name="organisation" label=Signal::derive(move || t_string!(i18n, field_organisation).to_owned()) kind=Kind::Text autocomplete="organization" error />
            <Field
                name="needs"
                label=Signal::derive(move || t_string!(i18n, field_needs).to_owned())
                hint=Signal::derive(move || t_string!(i18n, field_needs_hint).to_owned())
                kind=Kind::TextArea
                error
            />
            // Hidden from people (and from assistive technology); bots fill it in.
            <div class="trap" aria-hidden="true">
                <label for="field-website">"Website"</label>
                <input id="field-website" name="website" type="text" tabindex="-1" autocomplete="off" />
            </div>
            <div class="field field--check" class:field--invalid=move || consent_problem().is_some()>
                <input
                    id="field-consent"
                    name="consent"
                    type="checkbox"
                    value="yes"
                    required=true
                    checked=consented
                    aria-invalid=move || consent_problem().is_some().then_some("true")
                    aria-describedby="field-consent-error"
                />
                <label for="field-consent">{t!(i18n, field_consent)}</label>
                <p class="field-hint">{retention}</p>
                <p class="field-error" id="field-consent-error">
                    {move || consent_problem().map(|p| problem_text(i18n, p))}
                </p>
            </div>
            <button type="submit" class="button">{t!(i18n, meeting_register_submit)}</button>
        </ActionForm>
    }
}
