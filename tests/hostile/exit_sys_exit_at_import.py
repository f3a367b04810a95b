# hostile: calls sys.exit(0) while the module is imported
# task: to_rgb
# expect: error
# phrase: calls sys.exit() when it is imported
import sys

sys.exit(0)
