# hostile: imports a package that does not exist
# task: to_rgb
# expect: error
# phrase: could not be imported
import pixelkata_no_such_package  # noqa: F401
