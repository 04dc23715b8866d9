use crate::messages::order_status;
use leptos::prelude::*;
use shop_core::format_fen;
use shop_core::order::{Order, OrderStatus};

/// An order's status, lines, totals and delivery address.
#[component]
pub fn OrderView(order: Order) -> impl IntoView {
    let a = order.address;
    let address = [a.province.as_str(), &a.city, &a.district, " ", &a.detail].concat();
    let paid = matches!(order.status, OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Completed);
    let certificate = ["/orders/", &order.order_no, "/certificate"].concat();
    view! {
        <section class="order" aria-labelledby="order-title">
            <h2 id="order-title">"订单 " <span class="order-no">{order.order_no}</span></h2>
            <p class="order-status">"状态：" <strong>{order_status(order.status)}</strong></p>
            {order.tracking_no.map(|no| view! { <p>"快递单号：" <span class="order-no">{no}</span></p> })}
            {order.cancel_reason.map(|reason| view! {
                <p class="notice">{if reason == "payment_timeout" { "超时未付款，订单已自动取消，商品已退回库存。" } else { "商店已取消该订单。如有疑问请联系我们。" }}</p>
            })}
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
                    {order.adoptions.iter().map(|a| view! { <p>"认养蜂箱 No." {a.hive_no} "「" {a.hive_name.clone()} "」"</p> }).collect_view()}
                    {if paid {
                        view! { <a href=certificate>"查看认养证书"</a> }.into_any()
                    } else {
                        view! { <p class="muted small">"付款确认后可查看认养证书。"</p> }.into_any()
                    }}
                </div>
            })}
            <dl class="totals">
                <dt>"商品合计"</dt><dd>{format_fen(order.subtotal_fen)}</dd>
                <dt>"运费"</dt><dd>{format_fen(order.shipping_fen)}</dd>
                <dt>"应付"</dt><dd class="price">{format_fen(order.total_fen)}</dd>
            </dl>
            <h3>"收货信息"</h3>
            <p>{order.contact.name} " " {order.contact.phone}<br/>{address}</p>
            {order.note.map(|note| view! { <p>"备注：" {note}</p> })}
            <p class="muted">"下单时间：" {order.created_at}</p>
        </section>
    }
}
