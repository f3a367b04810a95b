# hostile: ends the process with os._exit(0) while the module is imported
# task: to_rgb
# expect: error
# phrase: ended its own process
import os

os._exit(0)
