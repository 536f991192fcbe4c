//! The coordination table.

use super::*;

#[component]
pub fn TablePage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let invite = ServerAction::<InviteTable>::new();
    let data = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                slug(),
                invite.version().get(),
            )
        },
        |(lang, slug, _)| get_table(lang, slug),
    );
    view! {
        <AreaPage title=text!(i18n, table_title) resource=data body=move |t: Table| view! { <TableView t invite /> } />
    }
}

#[component]
pub(super) fn TableView(t: Table, invite: ServerAction<InviteTable>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let done = move || query.read().get("count");
    let slug = t.city.slug.clone();
    let approved = t.approved;
    view! {
        <h1>{t!(i18n, table_title)} " · " {in_lang(i18n, t.city.name.clone())}</h1>
        <PactNav slug=slug.clone() />
        <div role="status">
            {move || done().map(|n| view! { <p class="notice">{td_string!(i18n.get_locale(), table_done, count = n)}</p> })}
        </div>
        <p>{t!(i18n, table_intro, count = move || approved)}</p>
        {if t.meetings.is_empty() {
            view! { <p>{t!(i18n, table_no_meetings)} " " <a href=link_to(i18n, "coordinate/meetings")>{t!(i18n, manage_title)}</a></p> }.into_any()
        } else {
            invite_form(i18n, t.meetings.clone(), t.sectors.clone(), invite, slug).into_any()
        }}
        <section aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">{t!(i18n, table_invitations)}</h2>
            {invitations_table(i18n, t.invitations)}
        </section>
    }
}

/// Which meeting, and the adherents of which sectors, to invite.
fn invite_form(
    i18n: I18n,
    meetings: Vec<TableMeeting>,
    sectors: Vec<domain::Sector>,
    invite: ServerAction<InviteTable>,
    slug: String,
) -> impl IntoView {
    let error = error_of(invite);
    let meeting_problem = move || {
        error
            .get()
            .and_then(|e| e.invalid().and_then(|i| i.problem("meeting")))
    };
    view! {
        <ActionForm action=invite attr:class="form">
            <LangInput />
            <input type="hidden" name="slug" value=slug />
            <FormAlert error />
            <div class="field" class:field--invalid=move || meeting_problem().is_some()>
                <label for="field-meeting">{t!(i18n, table_meeting)}</label>
                <select id="field-meeting" name="meeting" aria-describedby="field-meeting-error">
                    {meetings.into_iter().map(|m| view! { <option value=m.id.to_string()>{m.title} " · " {m.next}</option> }).collect_view()}
                </select>
                <p class="field-error" id="field-meeting-error">{move || meeting_problem().map(|p| crate::forms::problem_text(i18n, p))}</p>
            </div>
            <fieldset class="choices">
                <legend>{t!(i18n, table_sectors)}</legend>
                <p class="field-hint">{t!(i18n, table_sectors_hint)}</p>
                {sectors.into_iter().map(|s| {
                    let id = format!("table-sector-{}", s.slug);
                    view! {
                        <div class="field field--check">
                            <input id=id.clone() type="checkbox" name="sectors[]" value=s.slug />
                            <label for=id>{in_lang(i18n, s.name)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button">{t!(i18n, table_invite)}</button>
        </ActionForm>
    }
}

fn invitations_table(i18n: I18n, invitations: Vec<TableInvitation>) -> impl IntoView {
    if invitations.is_empty() {
        return view! { <p>{t!(i18n, table_none)}</p> }.into_any();
    }
    view! {
        <TableScroll labelledby="invitations-heading">
            <table>
                <thead><tr>
                    <th scope="col">{t!(i18n, field_organisation_name)}</th>
                    <th scope="col">{t!(i18n, table_meeting)}</th>
                    <th scope="col">{t!(i18n, table_sent)}</th>
                    <th scope="col">{t!(i18n, table_accepted)}</th>
                </tr></thead>
                <tbody>
                    {invitations.into_iter().map(|i| view! {
                        <tr>
                            <td>{i.organisation}</td>
                            <td>{i.meeting}</td>
                            <td>{i.sent.to_string()}</td>
                            <td>{match i.accepted { Some(d) => d.to_string().into_any(), None => t!(i18n, table_not_yet).into_any() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
    .into_any()
}
