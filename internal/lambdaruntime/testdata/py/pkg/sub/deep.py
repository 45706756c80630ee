def handler(event, context):
    return {"nested": True, "name": __name__}
