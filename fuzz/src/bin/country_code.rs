fn main() {
    afl::fuzz!(|data: &[u8]| learning_city_fuzz::country_code(data));
}
