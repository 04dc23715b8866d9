fn main() {
    storefront::start();
}
