use crate::i18n::texts;
use crate::messages::{cancel_reason, moment, order_status, payment_method, refund_state};
use leptos::prelude::*;
use shop_core::format_fen;
use shop_core::order::Order;
use shop_core::payment::PaymentState;

/// An order's status, lines, totals and delivery address.
#[component]
pub fn OrderView(order: Order) -> impl IntoView {
    let t = texts();
    let a = order.address;
    let to_check = if a.district_unlisted { t.district_to_check } else { "" };
    let address = [a.one_line().as_str(), to_check].concat();
    let paid = order.status.is_paid();
    let certificate = ["/orders/", &order.order_no, "/certificate"].concat();
    view! {
        <section class="order" aria-labelledby="order-title">
            <h2 id="order-title">{t.order_heading} <span class="order-no">{order.order_no}</span></h2>
            <p class="order-status">{t.order_status} <strong>{order_status(order.status)}</strong></p>
            {order.tracking_no.map(|no| view! { <p>{t.tracking_no} <span class="order-no">{no}</span></p> })}
            {order.cancel_reason.map(|reason| view! { <p class="notice">{cancel_reason(reason)}</p> })}
            <ul class="order-lines">
                {order.lines.into_iter().map(|l| view! {
                    <li>
                        <span>{l.name} " · " {l.label} " × " {l.quantity}</span>
                        <span>{format_fen(l.line_total_fen)}</span>
                    </li>
                }).collect_view()}
            </ul>
            {(!order.adoptions.is_empty()).then(|| view! {
                <div class="notice">
                    {order.adoptions.iter().map(|a| view! { <p>{(t.adopted_hive)(a.hive_no, &a.hive_name)}</p> }).collect_view()}
                    {if paid {
                        view! { <a href=certificate>{t.view_certificate}</a> }.into_any()
                    } else {
                        view! { <p class="muted small">{t.certificate_once_paid}</p> }.into_any()
                    }}
                </div>
            })}
            <dl class="totals">
                <dt>{t.subtotal}</dt><dd>{format_fen(order.subtotal_fen)}</dd>
                <dt>{t.shipping}</dt><dd>{format_fen(order.shipping_fen)}</dd>
                <dt>{t.amount_due}</dt><dd class="price">{format_fen(order.total_fen)}</dd>
            </dl>
            {order.payments.into_iter().filter(|p| p.state == PaymentState::Paid).map(|p| view! {
                <p class="payment">{payment_method(p.method)} " " {format_fen(p.amount_fen)} " · " {p.paid_at.as_deref().map(moment)}</p>
            }).collect_view()}
            {(!order.refunds.is_empty()).then(|| view! {
                <h3>{t.refunds_title}</h3>
                <ul class="refunds">
                    {order.refunds.into_iter().map(|r| view! {
                        <li>{(t.refund_line)(&format_fen(r.amount_fen), refund_state(r.state))}</li>
                    }).collect_view()}
                </ul>
            })}
            <h3>{t.delivery_details}</h3>
            <p>{order.contact.name} " " {order.contact.phone}<br/>{address}</p>
            {order.note.map(|note| view! { <p>{t.note} {note}</p> })}
            <p class="muted">{t.ordered_at} {moment(&order.created_at)}</p>
        </section>
    }
}
