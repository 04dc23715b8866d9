//! Words for the codes the shared rules and the API return, so every
//! component says the same thing for the same problem.

/// A field error code (`shop_core::validate::FieldError::code`) as shown next to the field.
pub fn field_error(code: &str) -> &'static str {
    match code {
        "required" => "请填写此项",
        "too_long" => "内容太长了，请精简一些",
        "invalid_phone" => "请输入11位手机号，如 13800138000",
        "invalid_postal_code" => "邮政编码是6位数字，可不填",
        "invalid_quantity" => "数量需在 1 到 99 之间",
        "invalid_credit_code" => "请输入18位统一社会信用代码",
        "unknown_province" => "请选择省份",
        "duplicate" => "重复的商品",
        "unknown_sku" => "该商品已下架",
        "inappropriate" => "这个名字不太合适，请换一个",
        "invalid" => "格式不对，请检查",
        _ => "请检查此项",
    }
}

pub fn order_status(status: shop_core::order::OrderStatus) -> &'static str {
    use shop_core::order::OrderStatus::*;
    match status {
        PendingPayment => "待付款",
        Paid => "已付款",
        Shipped => "已发货",
        Completed => "已完成",
        Cancelled => "已取消",
    }
}
