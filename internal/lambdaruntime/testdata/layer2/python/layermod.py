VALUE = "from layer2"
