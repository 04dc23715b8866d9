//! The storefront is three apps, each its own wasm and page: the shop (the
//! first screen: home, catalogue, products, producers), the order pages
//! (cart, checkout, orders and certificates, which the first screen never
//! needs) and the admin area. This says which one a path belongs to, for the
//! server (which page to answer with) and the browser (which links must
//! leave the app they are in).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Shop,
    Orders,
    Admin,
}

impl Entry {
    /// The app of a path or link (`/orders/XQ…`, `/products?category=honey`);
    /// an app's own directory is its own (`/order-app/index.html`).
    pub fn of(href: &str) -> Entry {
        let path = href.split(['?', '#']).next().unwrap_or("");
        let under = |root: &str| path.strip_prefix(root).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if under("/admin") {
            Entry::Admin
        } else if ["/cart", "/checkout", "/orders", "/order-app"].into_iter().any(under) {
            Entry::Orders
        } else {
            Entry::Shop
        }
    }

    /// Where its page and files are under `dist/` (and its files under the
    /// site): the shop at the top, the others in their own directory.
    pub fn dir(self) -> &'static str {
        match self {
            Entry::Shop => "",
            Entry::Orders => "order-app",
            Entry::Admin => "admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cart_checkout_and_orders_are_the_order_pages_and_the_rest_the_shop() {
        for path in ["/cart", "/checkout", "/orders", "/orders/XQ7K3M9P2R4T", "/orders/XQ7K3M9P2R4T/certificate"] {
            assert_eq!(Entry::of(path), Entry::Orders, "{path}");
        }
        for path in
            ["/", "/products", "/products?category=honey", "/products/cart", "/producers/wufo", "/cartoon", "/nope"]
        {
            assert_eq!(Entry::of(path), Entry::Shop, "{path}");
        }
        assert_eq!(Entry::of("/admin/orders"), Entry::Admin);
        assert_eq!(Entry::of("/order-app/index.html"), Entry::Orders);
        assert_eq!(Entry::of("/orders?no=1#top"), Entry::Orders);
    }
}
