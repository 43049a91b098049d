fn main() {
    orgpolicy_console::start();
}
