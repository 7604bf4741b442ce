from shop.api.cycle_a import Ghost
