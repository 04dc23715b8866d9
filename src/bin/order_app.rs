fn main() {
    storefront::start_orders();
}
