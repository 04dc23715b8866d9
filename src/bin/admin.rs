fn main() {
    storefront::start_admin();
}
