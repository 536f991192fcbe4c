fn main() {
    afl::fuzz!(|data: &[u8]| learning_city_fuzz::roster(data));
}
