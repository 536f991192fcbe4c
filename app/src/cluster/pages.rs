use super::{
    get_cluster_page, get_library, get_practice_form, ClusterPageData, DeletePractice, Library,
    LibraryFilter, PracticeForm, SavePractice,
};
use crate::accounts::Notice;
use crate::calendar::{language_label, Agenda};
use crate::forms::{error_of, Check, Field, FilterSelect, FormAlert, Kind, LangInput, Select};
use crate::i18n::*;
use crate::layout::{in_lang, link_to, slug_param, ErrorContent, I18n, PageMeta};
use crate::map::{map_of, MapFilter, NetworkMap, Sort, WorldMap};
use crate::AppError;
use domain::{CityRef, Practice, MEETING_LANGUAGES};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A cluster: what it works on, who leads it, its members on the map and in the table, its next
/// meetings and its newest practices.
#[component]
pub fn ClusterPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let data = Resource::new(
        move || (i18n.get_locale().as_str().to_owned(), slug()),
        |(lang, slug)| get_cluster_page(lang, slug),
    );
    // The members' map is asked for beside the cluster, not in the view built from it (see
    // `crate::calendar::calendar_data`).
    let map = map_of(Signal::derive(move || MapFilter {
        cluster: Some(slug()),
        ..Default::default()
    }));
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ClusterView d map /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ClusterView(d: ClusterPageData, map: Resource<Result<WorldMap, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let c = d.detail.cluster;
    let slug = c.slug.clone();
    let name = in_lang(i18n, c.name);
    let description = in_lang(i18n, c.description);
    let members = c.members;
    let sort = Memo::new(move |_| {
        let q = query.read();
        Sort::parse(q.get_str("sort"), q.get_str("dir"))
    });
    let leads = c.leads;
    view! {
        <PageMeta title=Signal::derive(name.clone()) description=Signal::derive(description.clone()) />
        <h1>{name}</h1>
        <p class="lead">{description}</p>
        <nav class="actions" aria-label=move || t_string!(i18n, cluster_sections)>
            <a class="button button--secondary" href=link_to(i18n, format!("clusters/{slug}/calendar"))>{t!(i18n, cluster_calendar)}</a>
            <a class="button button--secondary" href=link_to(i18n, format!("clusters/{slug}/practices"))>{t!(i18n, practices_title)}</a>
        </nav>
        <section aria-labelledby="leads-heading">
            <h2 id="leads-heading">{t!(i18n, cluster_leads_heading)}</h2>
            {if leads.is_empty() {
                view! { <p>{t!(i18n, cluster_no_lead)}</p> }.into_any()
            } else {
                view! {
                    <ul class="link-list">
                        {leads.into_iter().map(|city| view! {
                            <li><a href=link_to(i18n, format!("cities/{}", city.slug))>{in_lang(i18n, city.name)}</a></li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">{t!(i18n, cluster_members_heading)} " (" {members} ")"</h2>
            <NetworkMap map sort=sort fixed=true />
        </section>
        <section aria-labelledby="meetings-heading">
            <h2 id="meetings-heading">{t!(i18n, cluster_meetings_heading)}</h2>
            <Agenda meetings=d.meetings />
            <p><a href=link_to(i18n, format!("clusters/{slug}/calendar"))>{t!(i18n, cluster_all_meetings)}</a></p>
        </section>
        <section aria-labelledby="practices-heading">
            <h2 id="practices-heading">{t!(i18n, practices_newest)}</h2>
            <PracticeList slug=slug.clone() practices=d.practices editable=Vec::new() />
            <p><a href=link_to(i18n, format!("clusters/{slug}/practices"))>{t!(i18n, practices_all)}</a></p>
        </section>
    }
}

/// Practices as cards: the title links to the full account, tags link to the library filtered
/// by them, and the ones the visitor may change link to their form.
#[component]
fn PracticeList(slug: String, practices: Vec<Practice>, editable: Vec<i64>) -> impl IntoView {
    let i18n = use_i18n();
    if practices.is_empty() {
        return view! { <p class="empty-state">{t!(i18n, practices_none)}</p> }.into_any();
    }
    view! {
        <ul class="practices">
            {practices.into_iter().map(|p| {
                let can_edit = editable.contains(&p.id);
                let edit = format!("clusters/{slug}/practices/{}", p.id);
                let tags_base = format!("clusters/{slug}/practices");
                let language = p.language.clone();
                let posted = chrono::DateTime::from_timestamp(p.posted_at, 0)
                    .map(|d| d.date_naive().to_string())
                    .unwrap_or_default();
                view! {
                    <li class="practice">
                        <h3 lang=p.language.clone()>
                            <a href=p.link.clone() rel="noopener nofollow">{p.title.clone()}</a>
                        </h3>
                        <p class="muted">
                            <a href=link_to(i18n, format!("cities/{}", p.city.slug))>{in_lang(i18n, p.city.name.clone())}</a>
                            " · " <span>{move || language_label(i18n, &language)}</span>
                            " · " <time datetime=posted.clone()>{posted.clone()}</time>
                        </p>
                        <p lang=p.language.clone()>{p.summary.clone()}</p>
                        {(!p.tags.is_empty()).then(|| view! {
                            <ul class="tags" aria-label=move || t_string!(i18n, practice_tags)>
                                {p.tags.iter().map(|t| {
                                    let href = format!("{tags_base}?tag={t}");
                                    view! { <li><a href=link_to(i18n, href)>{t.clone()}</a></li> }
                                }).collect_view()}
                            </ul>
                        })}
                        {can_edit.then(|| view! {
                            <p><a href=link_to(i18n, edit)>{t!(i18n, practice_edit)} <span class="visually-hidden">": " {p.title.clone()}</span></a></p>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The cluster's library of best practices, filtered by city, language and tag with a plain
/// GET form. The library comes whole (its filters offer every value it holds); the filter is
/// applied where it is rendered, so that a hydrated page filters in place without asking again.
#[component]
pub fn LibraryPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let data = Resource::new(slug, get_library);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(l) => view! { <LibraryView l /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LibraryView(l: Library) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get_str(k).unwrap_or_default().trim().to_owned();
        LibraryFilter {
            city: get("city"),
            language: get("language"),
            tag: get("tag").to_lowercase(),
        }
    });
    let slug = l.cluster.slug.clone();
    let cluster_name = in_lang(i18n, l.cluster.name.clone());
    let title = {
        let cluster_name = cluster_name.clone();
        move || format!("{} — {}", t_string!(i18n, practices_title), cluster_name())
    };
    let lang = i18n.get_locale_untracked();
    let choices = LibraryChoices {
        cities: city_options(lang.as_str(), &l.cities),
        languages: l
            .languages
            .iter()
            .map(|code| (code.clone(), language_label(i18n, code)))
            .collect(),
        tags: l.tags.iter().map(|t| (t.clone(), t.clone())).collect(),
    };
    let (cluster_path, library_path, new_path) = (
        format!("clusters/{slug}"),
        format!("clusters/{slug}/practices"),
        format!("clusters/{slug}/practices/new"),
    );
    view! {
        <PageMeta title=Signal::derive(title.clone()) description=Signal::derive(title.clone()) />
        <h1>{t!(i18n, practices_title)}</h1>
        <p class="lead">
            <a href=link_to(i18n, cluster_path)>{cluster_name}</a>
        </p>
        <p>{t!(i18n, practices_intro)}</p>
        <Notice />
        {l.can_share.then(|| view! {
            <p><a class="button" href=link_to(i18n, new_path)>{t!(i18n, practice_share)}</a></p>
        })}
        {library_filters(i18n, filter, library_path, choices)}
        {library_list(i18n, filter, slug, l.practices, l.editable)}
    }
}

/// The member cities as a select offers them: slug and name, in the reader's language's order.
fn city_options(lang: &str, cities: &[CityRef]) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = cities
        .iter()
        .map(|c| (c.slug.clone(), c.name.get(lang).to_owned()))
        .collect();
    options.sort_by(|a, b| crate::directory::compare(lang, &a.1, &b.1));
    options
}

/// What the library's filters offer, as value and label of each option.
#[derive(Clone)]
struct LibraryChoices {
    cities: Vec<(String, String)>,
    languages: Vec<(String, String)>,
    tags: Vec<(String, String)>,
}

/// The library's filters as a plain GET form, redrawn when the address changes.
fn library_filters(
    i18n: I18n,
    filter: Memo<LibraryFilter>,
    library_path: String,
    choices: LibraryChoices,
) -> impl IntoView {
    move || {
        let f = filter.get();
        let library_path = library_path.clone();
        let LibraryChoices {
            cities,
            languages,
            tags,
        } = choices.clone();
        view! {
            <Form method="GET" action="" attr:class="filters">
                <FilterSelect name="city" label=move || t_string!(i18n, calendar_filter_city).to_owned() all=move || t_string!(i18n, calendar_any).to_owned() chosen=f.city.clone() options=cities />
                <FilterSelect
                    name="language"
                    label=move || t_string!(i18n, calendar_filter_language).to_owned()
                    all=move || t_string!(i18n, calendar_any).to_owned()
                    chosen=f.language.clone()
                    options=languages
                />
                <FilterSelect
                    name="tag"
                    label=move || t_string!(i18n, practice_tag).to_owned()
                    all=move || t_string!(i18n, calendar_any).to_owned()
                    chosen=f.tag.clone()
                    options=tags
                />
                <div class="actions">
                    <button type="submit">{t!(i18n, filter_apply)}</button>
                    {(!f.is_empty()).then(|| view! { <a href=link_to(i18n, library_path)>{t!(i18n, map_clear)}</a> })}
                </div>
            </Form>
        }
    }
}

/// The practices the filter keeps, with their count.
fn library_list(
    i18n: I18n,
    filter: Memo<LibraryFilter>,
    slug: String,
    practices: Vec<Practice>,
    editable: Vec<i64>,
) -> impl IntoView {
    let practices = StoredValue::new(practices);
    let editable = StoredValue::new(editable);
    move || {
        let f = filter.get();
        let list = practices.with_value(|all| {
            all.iter()
                .filter(|p| f.keeps(p))
                .cloned()
                .collect::<Vec<_>>()
        });
        let count = list.len();
        view! {
            // The list's heading: each practice's title is a level below it.
            <h2 class="visually-hidden">{t!(i18n, practices_list)}</h2>
            <p role="status" class="muted">{t!(i18n, practices_count, count = move || count)}</p>
            <PracticeList slug=slug.clone() practices=list editable=editable.get_value() />
        }
    }
}

#[component]
pub fn PracticeNewPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, |slug| get_practice_form(slug, None));
    view! { <PracticeFormPage data /> }
}

#[component]
pub fn PracticeEditPage() -> impl IntoView {
    let slug = slug_param();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let data = Resource::new(
        move || (slug(), id()),
        |(slug, id)| async move {
            match id {
                Some(id) => get_practice_form(slug, Some(id)).await,
                None => Err(crate::AppError::NotFound),
            }
        },
    );
    view! { <PracticeFormPage data /> }
}

#[component]
fn PracticeFormPage(data: Resource<Result<PracticeForm, crate::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(form) => view! { <PracticeFormView form /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PracticeFormView(form: PracticeForm) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePractice>::new();
    let remove = ServerAction::<DeletePractice>::new();
    let error = error_of(save);
    let slug = form.cluster.slug.clone();
    let delete_slug = slug.clone();
    let editing = form.practice.clone();
    let deletable = editing.as_ref().map(|p| p.id);
    let heading = if editing.is_some() {
        t_string!(i18n, practice_edit_title)
    } else {
        t_string!(i18n, practice_share)
    };
    let cities = city_options(i18n.get_locale_untracked().as_str(), &form.cities);
    let cluster_name = in_lang(i18n, form.cluster.name.clone());
    let library_path = format!("clusters/{slug}/practices");
    let id = deletable.map(|id| id.to_string()).unwrap_or_default();
    view! {
        <PageMeta title=Signal::stored(heading.to_owned()) description=Signal::stored(heading.to_owned()) />
        <h1>{heading}</h1>
        <p class="lead"><a href=link_to(i18n, library_path)>{cluster_name}</a></p>
        <ActionForm action=save attr:class="form" attr:novalidate=true>
            <LangInput />
            <input type="hidden" name="slug" value=slug.clone() />
            <input type="hidden" name="id" value=id />
            <FormAlert error />
            <PracticeFields practice=editing cities error />
            <button type="submit" class="button">{t!(i18n, save)}</button>
        </ActionForm>
        {deletable.map(|id| view! { <PracticeDeleteForm remove slug=delete_slug.clone() id /> })}
    }
}

/// The fields of a practice, filled with `practice` when it is being rewritten.
#[component]
fn PracticeFields(
    practice: Option<Practice>,
    cities: Vec<(String, String)>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = move |get: fn(&Practice) -> String| practice.as_ref().map(get).unwrap_or_default();
    // One member city: nothing to choose, but the select still says which.
    let city = value(|p| p.city.slug.clone());
    let city = if city.is_empty() && cities.len() == 1 {
        cities[0].0.clone()
    } else {
        city
    };
    let languages = MEETING_LANGUAGES
        .iter()
        .map(|code| ((*code).to_owned(), language_label(i18n, code)))
        .collect::<Vec<_>>();
    let language = value(|p| p.language.clone());
    let language = if language.is_empty() {
        i18n.get_locale_untracked().as_str().to_owned()
    } else {
        language
    };
    view! {
        <Select
            name="city"
            label=Signal::derive(move || t_string!(i18n, practice_city).to_owned())
            options=Signal::stored(cities)
            value=city
            error
        />
        <Field name="title" label=Signal::derive(move || t_string!(i18n, practice_field_title).to_owned()) kind=Kind::Text value=value(|p| p.title.clone()) required=true error />
        <Field
            name="summary"
            label=Signal::derive(move || t_string!(i18n, practice_summary).to_owned())
            hint=Signal::derive(move || t_string!(i18n, practice_summary_hint).to_owned())
            kind=Kind::TextArea
            value=value(|p| p.summary.clone())
            required=true
            error
        />
        <Field
            name="link"
            label=Signal::derive(move || t_string!(i18n, practice_link).to_owned())
            hint=Signal::derive(move || t_string!(i18n, practice_link_hint).to_owned())
            kind=Kind::Url
            value=value(|p| p.link.clone())
            required=true
            error
        />
        <Select
            name="language"
            label=Signal::derive(move || t_string!(i18n, practice_language).to_owned())
            options=Signal::stored(languages)
            value=language
            error
        />
        <Field
            name="tags"
            label=Signal::derive(move || t_string!(i18n, practice_tags).to_owned())
            hint=Signal::derive(move || t_string!(i18n, practice_tags_hint).to_owned())
            kind=Kind::Text
            value=value(|p| p.tags.join(", "))
            error
        />
    }
}

/// Taking a practice out of the library, once the box says so.
#[component]
fn PracticeDeleteForm(
    remove: ServerAction<DeletePractice>,
    slug: String,
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action=remove attr:class="form" attr:novalidate=true>
            <LangInput />
            <FormAlert error=error_of(remove) />
            <input type="hidden" name="slug" value=slug />
            <input type="hidden" name="id" value=id.to_string() />
            <Check
                name="confirm"
                label=Signal::derive(move || t_string!(i18n, practice_delete_confirm).to_owned())
                checked=false
                error=error_of(remove)
            />
            <button type="submit" class="button button--danger">{t!(i18n, practice_delete)}</button>
        </ActionForm>
    }
}
