VALUE = "from layer1"
