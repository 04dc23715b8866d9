use super::{use_admin, AdminGate};
use crate::api;
use crate::components::load_error::LoadError;
use crate::messages::{failure, field_error, order_status};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shop_core::admin::AdminAdoption;
use shop_core::adoption::{validate_delivery, NewDelivery, MAX_DELIVERY_AMOUNT};
use shop_core::error::ErrorCode;
use shop_core::field;
use shop_core::validate::{FieldErrors, MAX_TRACKING_NO};

/// Every adopted hive: who, which order, its state, and the harvests sent;
/// paid adoptions take a new delivery record.
#[component]
pub fn AdminAdoptionsPage() -> impl IntoView {
    view! { <AdminGate><AdoptionList/></AdminGate> }
}

#[component]
fn AdoptionList() -> impl IntoView {
    let session = use_admin();
    let adoptions = LocalResource::new(move || {
        let token = session.token();
        async move { api::admin::adoptions(&token).await }
    });
    let impact = LocalResource::new(api::impact);
    let refresh = Callback::new(move |()| adoptions.refetch());
    view! {
        <h1>"蜂箱认养"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                impact.await.ok().map(|i| view! { <p class="notice">"空闲蜂箱 " <strong>{i.free_hives}</strong> " 个"</p> })
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p class="muted">"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match adoptions.await {
                    Ok(list) if list.is_empty() => view! { <p>"还没有人认养。"</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|entry| view! { <AdoptionEntry entry refresh/> }).collect_view().into_any(),
                    Err(error) => {
                        session.check(&error);
                        view! { <LoadError error on_retry=move |_| adoptions.refetch()/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdoptionEntry(entry: AdminAdoption, refresh: Callback<()>) -> impl IntoView {
    let session = use_admin();
    let a = entry.adoption;
    let id = a.id;
    let tracking = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let record = move |_| {
        let delivery = NewDelivery { tracking_no: tracking.get_untracked(), amount: amount.get_untracked() };
        let errors = validate_delivery(&delivery);
        if !errors.is_empty() {
            return problem.set(Some(field_problems(&errors)));
        }
        let token = session.token();
        spawn_local(async move {
            match api::admin::record_delivery(&token, id, &delivery).await {
                Ok(_) => refresh.run(()),
                Err(error) => {
                    session.check(&error);
                    problem.set(Some(match error.code() {
                        Some(ErrorCode::InvalidTransition { status }) => {
                            ["记录失败：订单现在是「", order_status(*status), "」，付款后才能寄送。"].concat()
                        }
                        Some(ErrorCode::Validation { fields }) => field_problems(fields),
                        Some(ErrorCode::NotFound) => "记录失败：这份认养已取消，请刷新。".into(),
                        _ => ["记录失败：", &failure(&error)].concat(),
                    }));
                }
            }
        });
    };
    let input_id = |what: &str| ["delivery-", what, "-", &id.to_string()].concat();
    view! {
        <article class="admin-order">
            <h2>"No." {a.hive_no} "「" {a.hive_name} "」"</h2>
            <p>{a.adopter} " · 订单 " <span class="order-no">{entry.order_no}</span> " · " {order_status(entry.status)}</p>
            <ul class="history">
                {a.deliveries.into_iter().map(|d| view! { <li>{d.delivered_at} " " {d.amount} " · " {d.tracking_no}</li> }).collect_view()}
            </ul>
            <div class="field">
                <label for=input_id("amount")>"寄送内容"</label>
                <input id=input_id("amount") placeholder="如：7斤 洋槐蜜" maxlength=MAX_DELIVERY_AMOUNT.to_string() prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=input_id("tracking")>"快递单号"</label>
                <input id=input_id("tracking") maxlength=MAX_TRACKING_NO.to_string() prop:value=move || tracking.get() on:input=move |ev| tracking.set(event_target_value(&ev))/>
            </div>
            <p class="field-error" role="alert">{move || problem.get()}</p>
            <button type="button" class="button secondary" on:click=record>"记录一次寄送"</button>
        </article>
    }
}

/// Each broken rule after its field's name, as the delivery form says it.
fn field_problems(errors: &FieldErrors) -> String {
    let name = |path: &str| if path == field::TRACKING_NO { "快递单号" } else { "寄送内容" };
    errors.iter().map(|(path, rule)| [name(path), "：", &field_error(*rule)].concat()).collect::<Vec<_>>().join("；")
}
