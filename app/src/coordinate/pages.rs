//! Pages of the coordinator area, under `/{lang}/coordinate`.

use super::*;
use crate::accounts::{Notice, SignOutForm};
use crate::forms::{error_of, Field, FormAlert, Kind, LangInput};
use crate::i18n::*;
use crate::layout::{in_lang, link_to, private_page, ErrorContent, PageMeta};
use leptos::form::ActionForm;
use leptos_meta::Meta;
use leptos_router::hooks::use_params_map;

/// Title, robots tag and loading state shared by every page of the area.
#[component]
pub(crate) fn AreaPage<T, F, V>(
    #[prop(into)] title: Signal<String>,
    resource: Resource<Result<T, AppError>>,
    body: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    private_page();
    view! {
        <PageMeta title=title description=title />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => body(data).into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_dashboard());
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, dashboard_title).to_owned())
            resource=data
            body={move |d: Dashboard| view! { <DashboardView d /> }}
        />
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let who = if d.name.trim().is_empty() {
        d.email.clone()
    } else {
        d.name.clone()
    };
    let nothing = d.cities.is_empty() && d.clusters.is_empty() && !d.admin;
    let can_audit = d.admin || !d.cities.is_empty();
    let has_cities = !d.cities.is_empty();
    let has_clusters = !d.clusters.is_empty();
    let pending = (d.admin || !d.adhesions_pending.is_empty()).then(|| DashboardPending {
        adhesions: d.adhesions_pending,
        outbox: d.admin.then(|| d.outbox_pending.unwrap_or(0)),
        invitations: d.invitations_pending.unwrap_or(0),
    });
    view! {
        <h1>{t!(i18n, dashboard_title)}</h1>
        <p>{td_string!(i18n.get_locale(), dashboard_welcome, name = who.clone())}</p>
        <nav class="area-nav" aria-label=move || t_string!(i18n, area_nav_label)>
            <ul>
                <li><a href=link_to(i18n, "account")>{t!(i18n, account_title)}</a></li>
                {(d.admin || has_cities || has_clusters).then(|| view! { <li><a href=link_to(i18n, "coordinate/meetings")>{t!(i18n, manage_title)}</a></li> })}
                {can_audit.then(|| view! { <li><a href=link_to(i18n, "coordinate/audit")>{t!(i18n, audit_title)}</a></li> })}
                <li><a href=link_to(i18n, "coordinate/embed")>{t!(i18n, dashboard_embed)}</a></li>
                {d.admin.then(|| view! {
                    <li><a href=link_to(i18n, "coordinate/people")>{t!(i18n, people_title)}</a></li>
                    <li><a href=link_to(i18n, "coordinate/outbox")>{t!(i18n, outbox_title)}</a></li>
                })}
            </ul>
        </nav>
        <SignOutForm />
        {pending.map(|p| view! { <PendingWork p /> })}
        {nothing.then(|| view! { <p>{t!(i18n, dashboard_nothing)}</p> })}
        {has_clusters.then(|| view! { <DashboardClusters clusters=d.clusters /> })}
        <DashboardCities cities=d.cities />
    }
}

/// What waits for someone on the dashboard: adhesions by city and, for administrators, mail
/// and invitations (`outbox` is theirs alone).
pub struct DashboardPending {
    pub adhesions: Vec<PendingAdhesions>,
    pub outbox: Option<i64>,
    pub invitations: i64,
}

#[component]
fn PendingWork(p: DashboardPending) -> impl IntoView {
    let i18n = use_i18n();
    let invitations = p.invitations;
    view! {
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading">{t!(i18n, pending_title)}</h2>
            <ul>
                {p.adhesions.into_iter().map(|PendingAdhesions { city, count }| view! {
                    <li>
                        <a href=link_to(i18n, format!("coordinate/pacts/{}", city.slug))>
                            {in_lang(i18n, city.name)} ": " {td_string!(i18n.get_locale(), pending_adhesions, count = count)}
                        </a>
                    </li>
                }).collect_view()}
                {p.outbox.map(|outbox| view! {
                    <li>{td_string!(i18n.get_locale(), pending_outbox, count = outbox)}</li>
                    <li>{td_string!(i18n.get_locale(), pending_invitations, count = invitations)}</li>
                })}
            </ul>
        </section>
    }
}

#[component]
fn DashboardClusters(clusters: Vec<Named>) -> impl IntoView {
    let i18n = use_i18n();
    let clusters = clusters
        .into_iter()
        .map(|c| {
            let name = in_lang(i18n, c.name);
            view! { <li><a href=link_to(i18n, format!("coordinate/clusters/{}", c.slug))>{name}</a></li> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="clusters-heading">
            <h2 id="clusters-heading">{t!(i18n, dashboard_clusters)}</h2>
            <ul class="link-list">{clusters}</ul>
        </section>
    }
}

/// The cities one coordinates, folded away when there are many; hidden when there are none.
#[component]
fn DashboardCities(cities: Vec<CityRef>) -> impl IntoView {
    let i18n = use_i18n();
    let many_cities = cities.len() > 12;
    let has_cities = !cities.is_empty();
    let cities = cities
        .into_iter()
        .map(|c| {
            let name = in_lang(i18n, c.name);
            view! {
                <li>
                    <a href=link_to(i18n, format!("coordinate/cities/{}", c.slug))>{name}</a>
                    " "<span class="muted">{c.country}</span>
                    " · "<a href=link_to(i18n, format!("coordinate/pacts/{}", c.slug))>{t!(i18n, dashboard_pact)}</a>
                </li>
            }
        })
        .collect_view();
    let city_list = view! { <ul class="link-list">{cities}</ul> };
    view! {
        <section aria-labelledby="cities-heading" hidden=!has_cities>
            <h2 id="cities-heading">{t!(i18n, dashboard_cities)}</h2>
            {if many_cities {
                view! {
                    <details>
                        <summary>{t!(i18n, dashboard_all_cities)}</summary>
                        {city_list}
                    </details>
                }
                .into_any()
            } else {
                city_list.into_any()
            }}
        </section>
    }
}

#[component]
pub fn CityEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let data = Resource::new(slug, get_city_profile);
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, edit_city_title).to_owned())
            resource=data
            body={move |e: Editable<CityProfile>| view! { <CityEditForm slug=slug() e /> }}
        />
    }
}

#[component]
fn CityEditForm(slug: String, e: Editable<CityProfile>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<UpdateCityProfile>::new();
    let error = error_of(action);
    let name = in_lang(i18n, e.name);
    view! {
        <h1>{t!(i18n, edit_city_title)} ": " {name}</h1>
        <Notice />
        <p><a href=link_to(i18n, format!("cities/{slug}"))>{t!(i18n, edit_view_public)}</a></p>
        <p><a href=link_to(i18n, format!("coordinate/cities/{slug}/map"))>{t!(i18n, placing_link)}</a></p>
        <ActionForm action attr:class="form" attr:novalidate=true>
            <LangInput />
            <input type="hidden" name="slug" value=slug.clone() />
            <FormAlert error />
            <DescriptionFields en=e.profile.description_en it=e.profile.description_it error />
            <Field
                name="website"
                label=Signal::derive(move || t_string!(i18n, field_website).to_owned())
                hint=Signal::derive(move || t_string!(i18n, field_website_hint).to_owned())
                kind=Kind::Url
                value=e.profile.website.unwrap_or_default()
                autocomplete="url"
                error
            />
            <button type="submit" class="button">{t!(i18n, save)}</button>
        </ActionForm>
        <p><a href=link_to(i18n, "coordinate")>{t!(i18n, back_to_dashboard)}</a></p>
    }
}

/// The two descriptions every profile has, one per language.
#[component]
fn DescriptionFields(en: String, it: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Field
            name="description_en"
            label=Signal::derive(move || t_string!(i18n, field_description_en).to_owned())
            kind=Kind::TextArea
            value=en
            error
        />
        <Field
            name="description_it"
            label=Signal::derive(move || t_string!(i18n, field_description_it).to_owned())
            kind=Kind::TextArea
            value=it
            error
        />
    }
}

#[component]
pub fn ClusterEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let data = Resource::new(slug, get_cluster_profile);
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, edit_cluster_title).to_owned())
            resource=data
            body={move |e: Editable<ClusterProfile>| view! { <ClusterEditForm slug=slug() e /> }}
        />
    }
}

#[component]
fn ClusterEditForm(slug: String, e: Editable<ClusterProfile>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<UpdateClusterProfile>::new();
    let error = error_of(action);
    let name = in_lang(i18n, e.name);
    view! {
        <h1>{t!(i18n, edit_cluster_title)} ": " {name}</h1>
        <Notice />
        <p><a href=link_to(i18n, format!("clusters/{slug}"))>{t!(i18n, edit_view_public)}</a></p>
        <p><a href=link_to(i18n, format!("clusters/{slug}/practices"))>{t!(i18n, practices_title)}</a></p>
        <ActionForm action attr:class="form" attr:novalidate=true>
            <LangInput />
            <input type="hidden" name="slug" value=slug.clone() />
            <FormAlert error />
            <DescriptionFields en=e.profile.description_en it=e.profile.description_it error />
            <button type="submit" class="button">{t!(i18n, save)}</button>
        </ActionForm>
        <p><a href=link_to(i18n, "coordinate")>{t!(i18n, back_to_dashboard)}</a></p>
    }
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    // The actions live here so that the list reloads after each grant or revocation.
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let data = Resource::new(
        move || (grant.version().get(), revoke.version().get()),
        |_| people(),
    );
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, people_title).to_owned())
            resource=data
            body={move |p: Vec<Person>| view! { <PeopleView people=p grant revoke /> }}
        />
    }
}

#[component]
fn PeopleView(
    people: Vec<Person>,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(grant);
    let rows = people
        .into_iter()
        .map(|p| {
            let roles = p
                .roles
                .into_iter()
                .map(|r| view! { <li><RoleItem user_id=p.id role=r revoke /></li> })
                .collect_view();
            view! {
                <li class="person">
                    <p>
                        <strong>{if p.name.is_empty() { p.email.clone() } else { p.name.clone() }}</strong>
                        " "<span class="muted">{p.email.clone()}</span>
                        {p.invited.then(|| view! { " " <span class="badge">{t!(i18n, people_invited)}</span> })}
                    </p>
                    <ul>{roles}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{t!(i18n, people_title)}</h1>
        <Notice />
        <ul class="people">{rows}</ul>
        <h2>{t!(i18n, grant_title)}</h2>
        <p>{t!(i18n, grant_intro)}</p>
        <ActionForm action=grant attr:class="form" attr:novalidate=true>
            <LangInput />
            <FormAlert error />
            <Field
                name="email"
                label=Signal::derive(move || t_string!(i18n, field_email).to_owned())
                kind=Kind::Email
                required=true
                error
            />
            <Field
                name="name"
                label=Signal::derive(move || t_string!(i18n, field_name).to_owned())
                kind=Kind::Text
                error
            />
            <div class="field">
                <label for="field-locale">{t!(i18n, field_locale)}</label>
                <select id="field-locale" name="locale">
                    {locale_options(i18n.get_locale_untracked())}
                </select>
            </div>
            <div class="field">
                <label for="field-kind">{t!(i18n, field_role)}</label>
                <select id="field-kind" name="kind">
                    <option value="city">{t!(i18n, role_city)}</option>
                    <option value="cluster">{t!(i18n, role_cluster)}</option>
                    <option value="admin">{t!(i18n, role_admin)}</option>
                </select>
            </div>
            <Field
                name="target"
                label=Signal::derive(move || t_string!(i18n, field_target).to_owned())
                hint=Signal::derive(move || t_string!(i18n, field_target_hint).to_owned())
                kind=Kind::Text
                error
            />
            <button type="submit" class="button">{t!(i18n, grant_submit)}</button>
        </ActionForm>
        <p><a href=link_to(i18n, "coordinate")>{t!(i18n, back_to_dashboard)}</a></p>
    }
}

#[component]
fn RoleItem(user_id: i64, role: RoleView, revoke: ServerAction<RevokeRole>) -> impl IntoView {
    let i18n = use_i18n();
    let label = {
        let role = role.clone();
        move || {
            let locale = i18n.get_locale();
            let name = role
                .name
                .as_ref()
                .map(|n| n.get(locale.as_str()).to_owned())
                .unwrap_or_default();
            match role.kind {
                RoleKind::Admin => td_string!(locale, role_admin).to_string(),
                RoleKind::City => format!("{}: {name}", td_string!(locale, role_city)),
                RoleKind::Cluster => format!("{}: {name}", td_string!(locale, role_cluster)),
            }
        }
    };
    let label_for_button = label.clone();
    view! {
        <span>{label}</span>
        " "
        <ActionForm action=revoke attr:class="inline-form">
            <LangInput />
            <input type="hidden" name="user_id" value=user_id.to_string() />
            <input type="hidden" name="kind" value=role.kind.as_str() />
            <input type="hidden" name="target" value=role.slug.clone().unwrap_or_default() />
            <button
                type="submit"
                class="button button--small button--secondary"
                aria-label=move || format!("{} ({})", t_string!(i18n, revoke), label_for_button())
            >
                {t!(i18n, revoke)}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|b| b.parse::<i64>().ok())
    };
    let data = Resource::new(before, audit_log);
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, audit_title).to_owned())
            resource=data
            body={move |entries: Vec<AuditView>| view! { <AuditView entries /> }}
        />
    }
}

#[component]
fn AuditView(entries: Vec<AuditView>) -> impl IntoView {
    let i18n = use_i18n();
    let older = (entries.len() == 50)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let empty = entries.is_empty();
    let rows = entries
        .into_iter()
        .map(|e| {
            view! {
                <li class="audit-entry">
                    <p>
                        <time datetime=e.at.clone()>{e.at.clone()}</time>
                        " · " <strong>{e.actor.clone()}</strong>
                        " · " <code>{e.action.clone()}</code>
                        " · " {e.entity.clone()} " " {e.entity_id.clone()}
                    </p>
                    {e.before.clone().map(|b| view! { <p class="muted">{t!(i18n, audit_before)} ": " <code>{b}</code></p> })}
                    {e.after.clone().map(|a| view! { <p>{t!(i18n, audit_after)} ": " <code>{a}</code></p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{t!(i18n, audit_title)}</h1>
        <p>{t!(i18n, audit_intro)}</p>
        {empty.then(|| view! { <p>{t!(i18n, audit_empty)}</p> })}
        <ol class="audit">{rows}</ol>
        {older.map(|id| view! {
            <p><a href=link_to(i18n, format!("coordinate/audit?before={id}"))>{t!(i18n, audit_older)}</a></p>
        })}
        <p><a href=link_to(i18n, "coordinate")>{t!(i18n, back_to_dashboard)}</a></p>
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| outbox());
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, outbox_title).to_owned())
            resource=data
            body={move |messages: Vec<OutboxView>| view! { <OutboxList messages /> }}
        />
    }
}

#[component]
fn OutboxList(messages: Vec<OutboxView>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = messages.is_empty();
    let rows = messages
        .into_iter()
        .map(|m| {
            let status = {
                let s = m.status;
                move || match s {
                    MailStatus::Sent => t_string!(i18n, outbox_sent).to_owned(),
                    MailStatus::Failed => t_string!(i18n, outbox_failed).to_owned(),
                    MailStatus::Waiting => t_string!(i18n, outbox_waiting).to_owned(),
                }
            };
            view! {
                <li class="outbox-message">
                    <details>
                        <summary>
                            <strong>{m.subject.clone()}</strong>
                            " · " {m.recipient.clone()}
                            " · " <span class="badge">{status}</span>
                        </summary>
                        <p class="muted">
                            <time datetime=m.created_at.clone()>{m.created_at.clone()}</time>
                            " · " {m.locale.clone()} " · " {td_string!(i18n.get_locale(), outbox_attempts, count = m.attempts)}
                        </p>
                        {m.last_error.clone().map(|e| view! { <p class="muted">{e}</p> })}
                        <pre class="mail-text">{m.text.clone().unwrap_or_default()}</pre>
                    </details>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{t!(i18n, outbox_title)}</h1>
        <p>{t!(i18n, outbox_intro)}</p>
        {empty.then(|| view! { <p>{t!(i18n, outbox_empty)}</p> })}
        <ul class="outbox">{rows}</ul>
        <p><a href=link_to(i18n, "coordinate")>{t!(i18n, back_to_dashboard)}</a></p>
    }
}

/// The site's languages as options, `chosen` selected: whoever invites in a language most
/// often invites someone who reads it.
fn locale_options(chosen: Locale) -> impl IntoView {
    Locale::get_all()
        .iter()
        .map(|&l| {
            view! {
                <option value=l.as_str() selected=l == chosen>
                    {td_string!(l, language_name)}
                </option>
            }
        })
        .collect_view()
}
