fn main() {
    afl::fuzz!(|data: &[u8]| learning_city_fuzz::map_query(data));
}
